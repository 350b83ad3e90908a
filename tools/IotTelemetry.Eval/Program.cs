using IotTelemetry.Eval;

try
{
    if (args.Length > 0 && args[0] == "bench") return Bench.Run(args, Console.Out);
    var arguments = EvalArguments.Parse(args);
    return EvalRun.Execute(arguments, Console.Out);
}
catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidOperationException or InvalidDataException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(EvalArguments.Usage);
    return 2;
}
