using IotTelemetry.Benchmarks;

// make bench [ARGS="pipeline parquet lake detector opcua kafka"]: runs the named benchmarks (all by default).
var selected = args.Length == 0 ? ["pipeline", "parquet", "lake", "detector", "opcua", "kafka"] : args.Select(a => a.ToLowerInvariant()).ToArray();
Console.WriteLine($"IotTelemetry benchmarks on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
if (selected.Contains("detector")) DetectorBench.Run();
if (selected.Contains("parquet")) await ParquetBench.RunAsync();
if (selected.Contains("lake")) await LakeSinkBench.RunAsync();
if (selected.Contains("pipeline")) await PipelineBench.RunAsync();
if (selected.Contains("opcua")) await OpcUaBench.RunAsync();
if (selected.Contains("kafka")) KafkaBench.Run();
return 0;
