using System.Diagnostics;

namespace IotTelemetry.TestKit;

/// <summary>
/// A throw-away certificate authority made with openssl for TLS tests: a CA, a server certificate for
/// 127.0.0.1/localhost and a client certificate, all PEM files in <see cref="Directory"/> (EC P-256, 2 days).
/// </summary>
public sealed class TestCertificates
{
    private TestCertificates(string directory) => Directory = directory;

    public string Directory { get; }
    public string CaCertificate => Path.Combine(Directory, "ca.crt");
    public string CaKey => Path.Combine(Directory, "ca.key");
    public string ServerCertificate => Path.Combine(Directory, "server.crt");
    public string ServerKey => Path.Combine(Directory, "server.key");
    public string ClientCertificate => Path.Combine(Directory, "client.crt");
    public string ClientKey => Path.Combine(Directory, "client.key");

    /// <summary>Makes a new CA and certificates signed by it in <paramref name="directory"/> (created if missing).</summary>
    public static async Task<TestCertificates> CreateAsync(string directory, string caName = "IotTelemetry Test CA")
    {
        System.IO.Directory.CreateDirectory(directory);
        var c = new TestCertificates(directory);
        await OpenSslAsync(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", c.CaKey, "-out", c.CaCertificate, "-days", "2", "-subj", "/CN=" + caName);
        await IssueAsync(c, "server", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        await IssueAsync(c, "client", "iott-test-client", "extendedKeyUsage=clientAuth\n");
        return c;
    }

    private static async Task IssueAsync(TestCertificates c, string name, string commonName, string extensions)
    {
        var dir = c.Directory;
        var ext = Path.Combine(dir, name + ".ext");
        await File.WriteAllTextAsync(ext, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n" + extensions);
        await OpenSslAsync(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", Path.Combine(dir, name + ".key"), "-out", Path.Combine(dir, name + ".csr"), "-subj", "/CN=" + commonName);
        await OpenSslAsync(dir, "x509", "-req", "-in", Path.Combine(dir, name + ".csr"), "-CA", c.CaCertificate, "-CAkey", c.CaKey,
            "-CAcreateserial", "-out", Path.Combine(dir, name + ".crt"), "-days", "2", "-extfile", ext);
    }

    private static async Task OpenSslAsync(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("openssl did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("openssl is not installed or not on PATH (apt-get install -y openssl); TLS tests need it", ex);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(cts.Token);
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"openssl {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
