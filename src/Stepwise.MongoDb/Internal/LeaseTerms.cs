namespace Stepwise.MongoDb.Internal;

/// <summary>
/// The lock's lease: how long the server keeps a lock after its holder last renewed it, how often a live runner
/// renews, and how much of the lease a runner leaves unused before it stops trusting it.
/// </summary>
/// <remarks>
/// The server judges expiry by its own clock (<c>$$NOW</c>), so no runner's clock decides whether another runner's
/// lease has ended. A runner judges its own lease by its monotonic clock from the moment it <em>sent</em> the renewal the
/// server confirmed: the server set the expiry at least <see cref="Lease"/> after that moment, so the lease is certainly
/// still its own until then, whatever the network delay.
/// </remarks>
internal sealed record LeaseTerms
{
    public LeaseTerms(TimeSpan lease, TimeSpan renewEvery, TimeSpan margin)
    {
        // Two renewals in a row may fail (a primary stepping down, a slow network) before the lease is in doubt.
        if (renewEvery <= TimeSpan.Zero || margin < TimeSpan.Zero || renewEvery * 2 + margin > lease)
        {
            throw new ArgumentException($"A lease of {lease} cannot be renewed every {renewEvery} with {margin} to spare.");
        }

        Lease = lease;
        RenewEvery = renewEvery;
        Margin = margin;
    }

    /// <summary>30 s of lease renewed every 10 s: a killed runner's lock is taken over half a minute after its last renewal.</summary>
    public static LeaseTerms Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));

    public TimeSpan Lease { get; }

    public TimeSpan RenewEvery { get; }

    public TimeSpan Margin { get; }

    /// <summary>Whole milliseconds, as the server adds them to <c>$$NOW</c>.</summary>
    public long LeaseMilliseconds => (long)Lease.TotalMilliseconds;

    /// <summary>
    /// Whether the runner may still write under its lock: the last renewal the server confirmed was sent
    /// <paramref name="sinceConfirmedSend"/> ago, which leaves at least <see cref="Margin"/> of the lease.
    /// </summary>
    public bool StillHeld(TimeSpan sinceConfirmedSend) => sinceConfirmedSend >= TimeSpan.Zero && sinceConfirmedSend < Lease - Margin;
}
