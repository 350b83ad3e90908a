using System.CommandLine;
using IotTelemetry.Lake;

namespace IotTelemetry.LakeTool;

/// <summary>
/// The options that say where a command's lake is (<see cref="LakeLocation"/>), added to one command. A command that
/// works on the whole lake needs <c>--root</c> or <c>--store azure</c>; <c>inspect</c> takes a file path instead of a root.
/// </summary>
internal sealed class LocationOptions
{
    private readonly Option<string>? _root;
    private readonly Option<string> _store = new("--store")
    {
        Description = "where the lake is: local (a directory, --root) or azure (blob storage, the Lake__Store__* settings from the environment)",
        HelpName = "local|azure",
    };
    private readonly Option<string> _container = new("--container") { Description = "the blob container (else Lake__Store__Container)" };
    private readonly Option<string> _prefix = new("--prefix") { Description = "the key prefix in the container (else Lake__Store__Prefix)" };
    private readonly Option<string> _dataset = new("--dataset") { Description = "the raw dataset's key prefix on blob storage [default: lake]" };

    public LocationOptions(Command command, bool withRoot = true, bool withDataset = true)
    {
        if (withRoot)
        {
            _root = new Option<string>("--root") { Description = "the lake directory (the sink's Lake:Root under its DataDir)", HelpName = "dir" };
            command.Add(_root);
        }
        _store.Validators.Add(r =>
        {
            var kind = r.GetValueOrDefault<string>();
            if (!kind.Equals(LakeStoreOptions.Local, StringComparison.OrdinalIgnoreCase) && !kind.Equals(LakeStoreOptions.Azure, StringComparison.OrdinalIgnoreCase))
                r.AddError($"Expected --store local or azure, got '{kind}'");
        });
        command.Add(_store);
        command.Add(_container);
        command.Add(_prefix);
        if (withDataset) command.Add(_dataset);
        if (withRoot)
            command.Validators.Add(r =>
            {
                // A --store that is neither local nor azure is reported by its own check, not as a missing --root.
                var store = r.GetValue(_store);
                if (r.GetValue(_root!) is null && (store is null || store.Equals(LakeStoreOptions.Local, StringComparison.OrdinalIgnoreCase)))
                    r.AddError($"Expected --root <dir> for {command.Name} (or --store azure)");
            });
    }

    /// <summary>The location as parsed.</summary>
    public LakeLocation Read(ParseResult result) =>
        new(_root is null ? null : result.GetValue(_root), result.GetValue(_store), result.GetValue(_container), result.GetValue(_prefix), result.GetValue(_dataset));
}
