using IotTelemetry.Benchmarks;

// make bench [ARGS="pipeline parquet detector"]: runs the named benchmarks (all by default).
var selected = args.Length == 0 ? ["pipeline", "parquet", "detector"] : args.Select(a => a.ToLowerInvariant()).ToArray();
Console.WriteLine($"IotTelemetry benchmarks on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
if (selected.Contains("detector")) DetectorBench.Run();
if (selected.Contains("parquet")) await ParquetBench.RunAsync();
if (selected.Contains("pipeline")) await PipelineBench.RunAsync();
return 0;
