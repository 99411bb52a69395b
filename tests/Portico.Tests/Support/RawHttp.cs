using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Portico.Tests.Support;

/// <summary>
/// Sends a request exactly as written (HttpClient would normalize "..", "%2e" and header spellings),
/// over TLS or plain TCP, and reads one HTTP/1.1 response.
/// </summary>
public static class RawHttp
{
    public static async Task<RawResponse> SendAsync(int port, string requestHead, string? caPath, string body = "")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        Stream stream = tcp.GetStream();
        if (caPath is not null)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false, TlsTrust.For(caPath));
            await tls.AuthenticateAsClientAsync("localhost");
            stream = tls;
        }

        await using (stream)
        {
            var head = requestHead.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal).TrimEnd('\r', '\n');
            var bytes = Encoding.Latin1.GetBytes(head + "\r\n" + (head.Contains("Connection:", StringComparison.OrdinalIgnoreCase) ? "" : "Connection: close\r\n") + "\r\n" + body);
            await stream.WriteAsync(bytes);
            await stream.FlushAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var buffer = new MemoryStream();
            var chunk = new byte[16384];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(chunk, cts.Token)) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    if (RawResponse.TryParseComplete(buffer.ToArray(), out var complete))
                    {
                        return complete!;
                    }
                }
            }
            catch (IOException)
            {
            }

            return RawResponse.Parse(buffer.ToArray());
        }
    }
}

public sealed record RawResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public IEnumerable<string> All(string name) => Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string? Header(string name) => All(name).FirstOrDefault();

    public static RawResponse Parse(byte[] data)
    {
        var text = Encoding.Latin1.GetString(data);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 4)..];
        var lines = head.Split("\r\n");
        var status = lines.Length > 0 && lines[0].Split(' ') is { Length: >= 2 } parts && int.TryParse(parts[1], out var s) ? s : 0;
        var headers = lines.Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal))
            .Select(l => new KeyValuePair<string, string>(l[..l.IndexOf(':', StringComparison.Ordinal)].Trim(), l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
            .ToList();
        var chunked = headers.Any(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        return new RawResponse(status, headers, chunked ? Dechunk(body, out _) : body);
    }

    /// <summary>Decodes a chunked body; <paramref name="complete"/> tells whether the last chunk has arrived.</summary>
    private static string Dechunk(string raw, out bool complete)
    {
        var result = new StringBuilder();
        var position = 0;
        complete = false;
        while (true)
        {
            var lineEnd = raw.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                return result.ToString();
            }

            var sizeText = raw[position..lineEnd].Split(';')[0].Trim();
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out var size))
            {
                return result.ToString();
            }

            if (size == 0)
            {
                complete = true;
                return result.ToString();
            }

            var dataStart = lineEnd + 2;
            if (dataStart + size > raw.Length)
            {
                return result.ToString();
            }

            result.Append(raw, dataStart, size);
            position = dataStart + size + 2;
        }
    }

    internal static bool TryParseComplete(byte[] data, out RawResponse? response)
    {
        response = null;
        var parsed = Parse(data);
        if (parsed.Status == 0 || !Encoding.Latin1.GetString(data).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            return false;
        }

        if (parsed.Header("Content-Length") is { } length && int.TryParse(length, out var n))
        {
            if (Encoding.Latin1.GetByteCount(parsed.Body) >= n)
            {
                response = parsed with { Body = parsed.Body[..n] };
                return true;
            }

            return false;
        }

        var text = Encoding.Latin1.GetString(data);
        if (parsed.Header("Transfer-Encoding") is { } encoding && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            Dechunk(text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..], out var complete);
            response = complete ? parsed : null;
            return complete;
        }

        if (parsed.Status is 101 or 204 or 304 or (>= 300 and < 400) && parsed.Header("Transfer-Encoding") is null)
        {
            response = parsed;
            return true;
        }

        return false;
    }
}
