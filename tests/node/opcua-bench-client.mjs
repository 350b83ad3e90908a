// The baseline of the OPC UA benchmark (tests/IotTelemetry.Benchmarks/OpcUaBench.cs): node-opcua's own client
// subscribing to the bulk variables of opcua-server.mjs, counting the data changes it is handed.
//
//   node opcua-bench-client.mjs --endpoint opc.tcp://127.0.0.1:PORT/UA/Pump --pki /tmp/pki
//        [--count 2000] [--sampling 100] [--warmup 3] [--seconds 10] [--policy None] [--mode None]
//
// Subscribes to ns=1;s=Bulk.0000 .. Bulk.(count-1) with the given sampling interval (publishing interval the same,
// queue size 10), prints "SUBSCRIBED <items>" once the monitored items exist, waits until notifications flow and
// then --warmup seconds, counts notifications over --seconds and prints "RATE <notifications per second>",
// "COUNT <notifications>", "WINDOW <seconds measured>" and "TICKS <server ticks seen in the window>" (the server sets
// Bulk.0000 to its tick number, so the last value of Bulk.0000 tells how many rounds of changes the server made), then
// disconnects and exits 0. Exits 1 on any error.
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const {
    OPCUAClient, ClientSubscription, ClientMonitoredItemGroup, AttributeIds, TimestampsToReturn,
    MessageSecurityMode, SecurityPolicy,
} = require("node-opcua-client");
const { OPCUACertificateManager } = require("node-opcua-certificate-manager");

const args = process.argv.slice(2);
function arg(name, fallback) {
    const i = args.indexOf("--" + name);
    return i >= 0 ? args[i + 1] : fallback;
}

const endpoint = arg("endpoint", null);
const pki = arg("pki", null);
if (!endpoint || !pki) { console.error("--endpoint <url> and --pki <folder> are required"); process.exit(2); }
const count = Number(arg("count", "2000"));
const sampling = Number(arg("sampling", "100"));
const warmup = Number(arg("warmup", "3"));
const seconds = Number(arg("seconds", "10"));
const policy = SecurityPolicy[arg("policy", "None")];
const mode = MessageSecurityMode[arg("mode", "None")];
if (policy === undefined || mode === undefined) { console.error("unknown --policy or --mode"); process.exit(2); }

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
    const clientCertificateManager = new OPCUACertificateManager({
        rootFolder: path.join(pki, "bench-client"), automaticallyAcceptUnknownCertificate: true,
    });
    const client = OPCUAClient.create({
        applicationName: "IotTelemetryBenchBaseline",
        endpointMustExist: false,
        securityPolicy: policy,
        securityMode: mode,
        clientCertificateManager,
        connectionStrategy: { maxRetry: 2, initialDelay: 250, maxDelay: 1000 },
        requestedSessionTimeout: 60_000,
    });
    await client.connect(endpoint);
    const session = await client.createSession();
    const subscription = ClientSubscription.create(session, {
        requestedPublishingInterval: sampling,
        requestedLifetimeCount: 600,
        requestedMaxKeepAliveCount: 50,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 10,
    });
    const items = [];
    for (let i = 0; i < count; i++) {
        items.push({ nodeId: "ns=1;s=Bulk." + String(i).padStart(4, "0"), attributeId: AttributeIds.Value });
    }
    let notifications = 0;
    let tick = 0;
    const group = ClientMonitoredItemGroup.create(subscription, items,
        { samplingInterval: sampling, discardOldest: true, queueSize: 10 }, TimestampsToReturn.Both);
    group.on("changed", (item, dataValue, index) => {
        notifications++;
        if (index === 0) tick = dataValue.value.value;
    });
    await new Promise((resolve, reject) => {
        group.once("initialized", resolve);
        group.once("terminated", reject);
    });
    console.log("SUBSCRIBED " + group.monitoredItems.length);

    const deadline = Date.now() + 30_000;
    while (notifications < count && Date.now() < deadline) await sleep(20);
    if (notifications < count) throw new Error(`expected ${count} first notifications within 30 s but got ${notifications}`);
    await sleep(warmup * 1000);

    const start = process.hrtime.bigint();
    const before = notifications;
    const firstTick = tick;
    await sleep(seconds * 1000);
    const received = notifications - before;
    const ticks = tick - firstTick;
    const window = Number(process.hrtime.bigint() - start) / 1e9;
    console.log("COUNT " + received);
    console.log("WINDOW " + window.toFixed(3));
    console.log("TICKS " + ticks);
    console.log("RATE " + (received / window).toFixed(1));

    await subscription.terminate();
    await session.close();
    await client.disconnect();
}

main().then(() => process.exit(0), (err) => { console.error("ERROR " + (err && err.message ? err.message : err)); process.exit(1); });
