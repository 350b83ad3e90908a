namespace IotTelemetry.Lake;

/// <summary>What <see cref="ILakeStore.Commit"/> found.</summary>
public enum CommitOutcome
{
    /// <summary>The staged file is now visible under its key.</summary>
    Committed,

    /// <summary>It was visible already (a repeated commit after a crash): nothing changed.</summary>
    AlreadyCommitted,

    /// <summary>
    /// Neither staged nor visible: it was committed once and removed since (compaction merged it, retention dropped it).
    /// Not an error: recovery must not bring it back.
    /// </summary>
    Gone,
}
