using IotTelemetry.Benchmarks;

// make bench [ARGS="pipeline parquet lake detector opcua kafka edgemem"]: runs the named benchmarks (all by default).
var selected = args.Length == 0 ? ["pipeline", "parquet", "lake", "detector", "opcua", "kafka", "edgemem"] : args.Select(a => a.ToLowerInvariant()).ToArray();
Console.WriteLine($"IotTelemetry benchmarks on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
if (selected.Contains("detector")) DetectorBench.Run();
if (selected.Contains("parquet")) await ParquetBench.RunAsync();
if (selected.Contains("lake")) await LakeSinkBench.RunAsync();
if (selected.Contains("pipeline")) await PipelineBench.RunAsync();
if (selected.Contains("opcua")) await OpcUaBench.RunAsync();
if (selected.Contains("kafka")) KafkaBench.Run();
if (selected.Contains("edgemem")) await EdgeMemoryBench.RunAsync();
if (selected.Contains("edgemem-ours")) await EdgeMemoryBench.RunOursAsync();
return 0;
