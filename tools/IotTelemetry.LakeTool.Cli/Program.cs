using IotTelemetry.LakeTool;

// iott-lake: inspect, query, compact and apply retention to the Parquet lake (LakeToolCli: the commands and exit codes).
return LakeToolCli.Run(args, Console.Out, Console.Error, DateTimeOffset.UtcNow);
