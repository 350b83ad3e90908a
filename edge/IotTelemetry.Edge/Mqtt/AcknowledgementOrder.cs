using MQTTnet;

namespace IotTelemetry.Edge.Mqtt;

/// <summary>
/// Holds back a PUBACK while an older message that came with the same packet identifier is still unacknowledged
/// (one instance per connection), so that a broker which answers a PUBACK by releasing the <em>first</em> message it
/// holds under that identifier always releases the one the agent meant.
/// </summary>
/// <remarks>
/// MQTT forbids a server to reuse an identifier still in flight, but mosquitto 2.0.11 (Debian 12's) numbers a message
/// for a client when it queues it: a persistent session that queued more than 65,535 messages for an absent agent
/// holds several messages under each identifier, and once the agent holds one of them (not yet durable) while 65,535
/// later ones pass, two with its identifier are in flight at once. Acknowledging the later one first (its readings were durable
/// already, or its partition was quicker) released the older one, not yet in Kafka; a kill then lost it for good
/// (issue #14: 10,575 readings in a default <c>make soak</c>). Messages are acknowledged in their order of arrival
/// per identifier; distinct identifiers never wait for each other. QoS 0 messages (identifier 0) are not tracked.
/// </remarks>
public sealed class AcknowledgementOrder
{
    /// <summary>A message received and not yet acknowledged.</summary>
    public sealed class Pending(MqttApplicationMessageReceivedEventArgs message)
    {
        public MqttApplicationMessageReceivedEventArgs Message { get; } = message;
        internal bool Durable;
        internal Pending? Next;
    }

    private readonly Dictionary<ushort, (Pending Head, Pending Tail)> _byIdentifier = [];
    private readonly object _gate = new();
    private int _unacknowledged, _heldBack;

    /// <summary>Messages with an identifier received and not released for acknowledgement yet.</summary>
    public int Unacknowledged { get { lock (_gate) return _unacknowledged; } }

    /// <summary>Of those, the ones durable already that wait for an older message of their identifier.</summary>
    public int HeldBack { get { lock (_gate) return _heldBack; } }

    /// <summary>Registers a message as it arrives (the message loop, in arrival order), before anything may acknowledge it.</summary>
    public Pending Received(MqttApplicationMessageReceivedEventArgs message)
    {
        var pending = new Pending(message);
        var id = message.PacketIdentifier;
        if (id == 0) return pending;
        lock (_gate)
        {
            _unacknowledged++;
            if (_byIdentifier.TryGetValue(id, out var queue))
            {
                queue.Tail.Next = pending;
                _byIdentifier[id] = (queue.Head, pending);
            }
            else
            {
                _byIdentifier[id] = (pending, pending);
            }
        }
        return pending;
    }

    /// <summary>
    /// The message is durable: returns it and any younger ones of its identifier that were waiting for it, in the
    /// order to acknowledge them; nothing while an older message of its identifier is still unacknowledged.
    /// </summary>
    public IReadOnlyList<MqttApplicationMessageReceivedEventArgs> Release(Pending pending)
    {
        var id = pending.Message.PacketIdentifier;
        if (id == 0) return [pending.Message];
        lock (_gate)
        {
            if (pending.Durable) return []; // released already
            pending.Durable = true;
            if (!_byIdentifier.TryGetValue(id, out var queue)) return [];
            if (queue.Head != pending)
            {
                _heldBack++;
                return []; // an older message of this identifier is not durable yet
            }
            var ready = new List<MqttApplicationMessageReceivedEventArgs>(1);
            var head = queue.Head;
            while (head is { Durable: true })
            {
                ready.Add(head.Message);
                if (head != pending) _heldBack--;
                head = head.Next;
            }
            _unacknowledged -= ready.Count;
            if (head is null) _byIdentifier.Remove(id);
            else _byIdentifier[id] = (head, queue.Tail);
            return ready;
        }
    }
}
