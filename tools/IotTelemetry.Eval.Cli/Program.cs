using IotTelemetry.Eval;

// The detector on labeled series, and its bench (EvalCommandLine: the options and exit codes).
return EvalCommandLine.Run(args, Console.Out, Console.Error);
