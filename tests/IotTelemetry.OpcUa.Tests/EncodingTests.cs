using IotTelemetry.OpcUa.Internal.Encoding;
using IotTelemetry.OpcUa.Internal.Services;
using Xunit;

namespace IotTelemetry.OpcUa.Tests;

/// <summary>UA Binary against byte sequences produced by node-opcua 2.186.4's encoders (node-opcua-basic-types, -variant, -data-value).</summary>
public sealed class EncodingTests
{
    private static string Hex(Action<UaWriter> write)
    {
        using var w = new UaWriter();
        write(w);
        return Convert.ToHexString(w.WrittenSpan).ToLowerInvariant();
    }

    private static UaReader Reader(string hex) => new(Convert.FromHexString(hex), TypeTable.Decoders);

    [Theory]
    [InlineData("i=85", "0055")]
    [InlineData("ns=1;i=1001", "0101e903")]
    [InlineData("ns=3;i=70000", "02030070110100")]
    [InlineData("ns=1;s=Pump1.Temperature", "0301001100000050756d70312e54656d7065726174757265")]
    [InlineData("ns=1;g=6f1c2b3a-0d4e-4f5a-8b9c-0123456789ab", "0401003a2b1c6f4e0d5a4f8b9c0123456789ab")]
    [InlineData("ns=1;b=TGV2ZWw=", "050100050000004c6576656c")]
    public void NodeId_encodes_in_the_smallest_form_and_decodes_back(string text, string hex)
    {
        var id = NodeId.Parse(text);
        Assert.Equal(hex, Hex(w => w.WriteNodeId(id)));
        var back = Reader(hex).ReadNodeId();
        Assert.Equal(id, back);
        Assert.Equal(text, back.ToString());
    }

    [Theory]
    [InlineData("ns=1;x=1")]
    [InlineData("ns=99999;i=1")]
    [InlineData("ns=1;i=-4")]
    [InlineData("ns=1;g=not-a-guid")]
    [InlineData("")]
    public void NodeId_parse_says_what_was_expected(string text)
    {
        var e = Assert.Throws<FormatException>(() => NodeId.Parse(text));
        Assert.Contains("Expected", e.Message);
    }

    [Fact]
    public void ExpandedNodeId_sets_the_uri_and_server_index_flags()
    {
        var value = new ExpandedNodeId(new NodeId(2, "X"), "urn:a", 3);
        var hex = Hex(w => w.WriteExpandedNodeId(value));
        Assert.Equal("c3020001000000580500000075726e3a6103000000", hex);
        Assert.Equal(value, Reader(hex).ReadExpandedNodeId());
    }

    [Fact]
    public void DateTime_is_ticks_since_1601_and_string_is_utf8()
    {
        var time = new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
        Assert.Equal("e034b058283dda01", Hex(w => w.WriteDateTime(time)));
        Assert.Equal(time, Reader("e034b058283dda01").ReadDateTime());
        Assert.Equal("0600000068c3a96c6c6f", Hex(w => w.WriteString("héllo")));
        Assert.Equal("ffffffff", Hex(w => w.WriteString(null)));
        Assert.Null(Reader("ffffffff").ReadString());
        Assert.Equal(DateTime.MinValue, Reader("0000000000000000").ReadDateTime());
    }

    [Fact]
    public void Variant_scalar_array_and_matrix_match_node_opcua()
    {
        Assert.Equal("0b0000000000000a40", Hex(w => w.WriteVariant(Variant.Scalar(BuiltInType.Double, 3.25))));
        Assert.Equal("860300000001000000feffffff03000000", Hex(w => w.WriteVariant(Variant.Array(BuiltInType.Int32, new[] { 1, -2, 3 }))));
        Assert.Equal("c306000000010203040506020000000200000003000000",
            Hex(w => w.WriteVariant(Variant.Array(BuiltInType.Byte, new byte[] { 1, 2, 3, 4, 5, 6 }, [2, 3]))));

        var matrix = Reader("c306000000010203040506020000000200000003000000").ReadVariant();
        Assert.True(matrix.IsArray);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, (byte[])matrix.Value!);
        Assert.Equal(new[] { 2, 3 }, matrix.Dimensions!);
        Assert.Equal(3.25, (double)Reader("0b0000000000000a40").ReadVariant().Value!);
    }

    [Fact]
    public void LocalizedText_QualifiedName_and_DataValue_match_node_opcua()
    {
        Assert.Equal("0302000000656e0400000054656d70", Hex(w => w.WriteLocalizedText(new LocalizedText("en", "Temp"))));
        Assert.Equal("01000500000050756d7031", Hex(w => w.WriteQualifiedName(new QualifiedName(1, "Pump1"))));
        var value = new DataValue(Variant.Scalar(BuiltInType.Float, 1.5f), new StatusCode(StatusCodes.UncertainLastUsableValue),
            new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc), 0, new DateTime(2024, 1, 2, 3, 4, 6, DateTimeKind.Utc));
        const string hex = "0f0a0000c03f00009040e034b058283dda010057e158283dda01";
        Assert.Equal(hex, Hex(w => w.WriteDataValue(value)));
        var back = Reader(hex).ReadDataValue();
        Assert.Equal(1.5f, (float)back.Value.Value!);
        Assert.True(back.Status.IsUncertain);
        Assert.Equal(value.SourceTimestamp, back.SourceTimestamp);
        Assert.Equal(value.ServerTimestamp, back.ServerTimestamp);
    }

    [Fact]
    public void DiagnosticInfo_and_ExtensionObject_round_trip()
    {
        var info = new DiagnosticInfo(SymbolicId: 1, NamespaceUri: 2, Locale: 3, LocalizedText: 4, AdditionalInfo: "x",
            InnerStatusCode: new StatusCode(StatusCodes.BadNodeIdUnknown), InnerDiagnosticInfo: new DiagnosticInfo(SymbolicId: 7));
        var hex = Hex(w => w.WriteDiagnosticInfo(info));
        Assert.StartsWith("7f01000000020000000300000004000000", hex); // mask, then SymbolicId, NamespaceUri, Locale, LocalizedText
        Assert.Equal(info, Reader(hex).ReadDiagnosticInfo());

        var filter = ExtensionObject.From(new DataChangeFilter(1, 0.5));
        var body = Hex(w => w.WriteExtensionObject(filter));
        Assert.Equal("0100d402" + "01" + "10000000" + "01000000" + "01000000" + "000000000000e03f", body);
        var unknown = Reader(body).ReadExtensionObject();
        Assert.Equal(new NodeId(0, 724u), unknown.TypeId);
        Assert.Equal(16, unknown.RawBody!.Length);
    }

    [Fact]
    public void Truncated_input_names_expected_and_remaining_bytes()
    {
        var e = Assert.Throws<UaDecodingException>(() => Reader("0b000000").ReadVariant());
        Assert.Contains("Expected 8 bytes", e.Message);
        Assert.Contains("only 3 remain", e.Message);
        var array = Assert.Throws<UaDecodingException>(() => Reader("ffffff7f01").ReadArray(r => r.ReadInt32()));
        Assert.Contains("array", array.Message);
    }
}
