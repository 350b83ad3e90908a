using Xunit;
using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Tests;

public class NamespacedNodeIdTests
{
    private static readonly string[] Namespaces = ["http://opcfoundation.org/UA/", "urn:server", "urn:filler", "urn:plant;line"];

    [Theory]
    [InlineData("nsu=urn:plant%3Bline;s=Line1.Vibration", "ns=3;s=Line1.Vibration")]
    [InlineData("nsu=urn:server;i=1001", "ns=1;i=1001")]
    [InlineData("ns=2;s=Plain", "ns=2;s=Plain")]
    public void An_expanded_node_id_gets_the_index_the_server_gives_its_namespace_uri(string text, string resolved)
    {
        Assert.True(NamespacedNodeId.TryParse(text, out var id, out var error), error);
        Assert.Equal(NodeId.Parse(resolved), id.Resolve(Namespaces));
    }

    [Fact]
    public void A_namespace_the_server_does_not_have_resolves_to_nothing()
    {
        Assert.True(NamespacedNodeId.TryParse("nsu=urn:elsewhere;s=X", out var id, out _));
        Assert.Null(id.Resolve(Namespaces));
    }

    [Theory]
    [InlineData("nsu=;s=X")]
    [InlineData("nsu=urn:x")]
    [InlineData("nsu=urn:x;ns=2;s=X")]
    [InlineData("nsu=urn:x;q=1")]
    public void A_malformed_expanded_node_id_is_refused_with_a_reason(string text)
    {
        Assert.False(NamespacedNodeId.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
