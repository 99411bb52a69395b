// The one JSON argument every client script of this folder takes: parsed, or the script exits 2
// with what is wrong (the C# side tells a 2 from a run that printed its result).

export function usage(script, message) {
  process.stderr.write(`${script}: ${message}\n`);
  process.exit(2);
}

export function readInput(script, requiredString) {
  let input;
  try {
    input = JSON.parse(process.argv[2] ?? '');
  } catch (err) {
    usage(script, `argv[2] must be a JSON object (${err.message})`);
  }
  if (!input || typeof input !== 'object' || typeof input[requiredString] !== 'string') usage(script, `"${requiredString}" is required`);
  return input;
}
