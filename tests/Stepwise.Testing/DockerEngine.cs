using System.Net.Sockets;

namespace Stepwise.Testing;

/// <summary>Whether a Docker engine answers here, without waiting on Testcontainers' own discovery when none can.</summary>
public static class DockerEngine
{
    public static bool Answers()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(host))
        {
            return true;
        }

        const string socket = "/var/run/docker.sock";
        if (!File.Exists(socket))
        {
            return false;
        }

        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
