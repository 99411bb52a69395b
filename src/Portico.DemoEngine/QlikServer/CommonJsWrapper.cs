namespace Portico.DemoEngine.QlikServer;

/// <summary>
/// Lets a browser import a CommonJS file (extend, enigma.js's UMD build) as an ES module with a
/// default export, the way a bundler would: the file's text runs unchanged inside a function that
/// gives it <c>module</c> and <c>exports</c>.
/// </summary>
internal static class CommonJsWrapper
{
    public static string Wrap(string packageName, string entry, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return
            $"// {packageName}/{entry} (CommonJS), wrapped by the Portico demo engine as an ES module.\n" +
            "const module = { exports: {} };\n" +
            "const require = (name) => { throw new Error(`require(\"${name}\") is not available in the browser`); };\n" +
            "(function (exports, module, require) {\n" +
            source +
            "\n}).call(module.exports, module.exports, module, require);\n" +
            "export default module.exports;\n";
    }
}
