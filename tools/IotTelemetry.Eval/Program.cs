using IotTelemetry.Eval;

try
{
    var arguments = EvalArguments.Parse(args);
    return EvalRun.Execute(arguments, Console.Out);
}
catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidOperationException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(EvalArguments.Usage);
    return 2;
}
