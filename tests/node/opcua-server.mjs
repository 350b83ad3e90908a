// A scriptable node-opcua server for the OPC UA client tests (tests/IotTelemetry.OpcUa.Tests).
//
//   node opcua-server.mjs --port 4840 --pki /tmp/pki [--policies None,Basic256Sha256]
//        [--modes None,Sign,SignAndEncrypt] [--users alice:secret,bob:pw] [--no-anonymous]
//        [--bulk 2000] [--interval 100] [--bulk-interval 100] [--plant-namespace-index 3]
//        [--certificate server.pem --private-key server.key.pem] [--application-uri urn:...]
//
// --certificate/--private-key make the server present that certificate (PEM) instead of the self-signed one node-opcua
// creates; --application-uri sets the ApplicationUri it announces in its endpoint descriptions.
//
// --plant-namespace-index K registers the namespace "urn:iott:test:plant" at index K (fillers "urn:iott:test:filler-N"
// before it) with one Double variable s=Line1.Vibration (value 4.5): a server whose namespace numbering is not the
// one a configuration may have assumed.
//
// Prints "ENDPOINT opc.tcp://127.0.0.1:PORT/UA/Pump" when it listens. Commands on stdin, one per line:
//   set <nodeId> <number|text>   writes a value (status Good, source timestamp now), prints "SET <nodeId>"
//   status <nodeId> <Good|Uncertain|Bad>   changes the status code of a variable, prints "STATUS <nodeId>"
//   stop                         shuts the server down (port closed), prints "STOPPED"
//   start                        starts it again on the same port and PKI folder, prints "ENDPOINT ..."
//   quit                         shuts down and exits
//
// Address space (namespace 1):
//   /Objects/Pump1 (ns=1;s=Pump1)
//     Temperature  ns=1;s=Pump1.Temperature  Double, AnalogItem (EngineeringUnits degC), changes every interval
//     Pressure     ns=1;s=Pump1.Pressure     Double, changes only through "set"
//     Status       ns=1;s=Pump1.Status       String
//     Running      ns=1;s=Pump1.Running      Boolean
//     Speed        ns=1;i=1001               Int32, counts up every interval
//     Flow         ns=1;g=6f1c2b3a-0d4e-4f5a-8b9c-0123456789ab  Float, changes every interval
//     Level        ns=1;b=TGV2ZWw=           UInt16 (opaque NodeId, bytes "Level")
//   /Objects/Bulk/B0000.. ns=1;s=Bulk.0000..  Double, each changes every bulk interval (--bulk N)
import path from "node:path";
import readline from "node:readline";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { OPCUAServer } = require("node-opcua-server");
const { OPCUACertificateManager } = require("node-opcua-certificate-manager");
const { Variant, DataType } = require("node-opcua-variant");
const { StatusCodes } = require("node-opcua-status-code");
const { MessageSecurityMode, SecurityPolicy } = require("node-opcua-secure-channel");
const { standardUnits } = require("node-opcua-data-access");

const args = process.argv.slice(2);
function arg(name, fallback) {
    const i = args.indexOf("--" + name);
    return i >= 0 ? args[i + 1] : fallback;
}
const flag = (name) => args.includes("--" + name);

const port = Number(arg("port", "4840"));
const pki = arg("pki", null);
if (!pki) { console.error("--pki <folder> is required (keeps node-opcua from writing under ~/.config)"); process.exit(2); }
const policies = arg("policies", "None,Basic256Sha256").split(",").map((p) => SecurityPolicy[p]);
const modes = arg("modes", "None,Sign,SignAndEncrypt").split(",").map((m) => MessageSecurityMode[m]);
const users = Object.fromEntries(arg("users", "").split(",").filter((u) => u).map((u) => u.split(":")));
const bulk = Number(arg("bulk", "0"));
const interval = Number(arg("interval", "100"));
const bulkInterval = Number(arg("bulk-interval", String(interval)));
const plantNamespaceIndex = Number(arg("plant-namespace-index", "0"));
if (policies.some((p) => p === undefined)) { console.error("unknown policy in --policies"); process.exit(2); }
if (modes.some((m) => m === undefined)) { console.error("unknown mode in --modes"); process.exit(2); }

const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: path.join(pki, "server"), automaticallyAcceptUnknownCertificate: true,
});
const userCertificateManager = new OPCUACertificateManager({
    rootFolder: path.join(pki, "user"), automaticallyAcceptUnknownCertificate: true,
});

let server = null;
let timer = null;
let bulkTimer = null;
let bulkTick = 0;
const variables = new Map();
let tick = 0;

function dataTypeOf(v) { return v.dataType ? v.dataType.value ?? v.dataType : DataType.Double; }

function setValue(variable, value, statusCode = StatusCodes.Good) {
    variable.setValueFromSource(new Variant({ dataType: variable.__dataType, value }), statusCode, new Date());
}

async function build() {
    const s = new OPCUAServer({
        port, resourcePath: "/UA/Pump", hostname: "127.0.0.1", alternateHostname: ["127.0.0.1"],
        securityPolicies: policies, securityModes: modes,
        allowAnonymous: !flag("no-anonymous"),
        serverCertificateManager, userCertificateManager,
        userManager: { isValidUser: (user, password) => users[user] !== undefined && users[user] === password },
        buildInfo: { productName: "IotTelemetryTestPump", buildNumber: "1" },
        ...(arg("certificate") ? { certificateFile: arg("certificate"), privateKeyFile: arg("private-key") } : {}),
        ...(arg("application-uri") ? { serverInfo: { applicationUri: arg("application-uri") } } : {}),
        maxConnectionsPerEndpoint: 100, maxAllowedSessionNumber: 100,
        serverCapabilities: { maxMonitoredItemsPerCall: 10000, operationLimits: { maxMonitoredItemsPerCall: 10000 } },
        disableDiscovery: true,
    });
    await s.initialize();
    const addressSpace = s.engine.addressSpace;
    const ns = addressSpace.getOwnNamespace();
    const pump = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Pump1", nodeId: "s=Pump1" });
    const add = (nodeId, browseName, dataType, value) => {
        const v = ns.addVariable({ componentOf: pump, nodeId, browseName, dataType });
        v.__dataType = DataType[dataType];
        setValue(v, value);
        variables.set("ns=1;" + nodeId, v);
        return v;
    };
    const temperature = ns.addAnalogDataItem({
        componentOf: pump, nodeId: "s=Pump1.Temperature", browseName: "Temperature", dataType: "Double",
        engineeringUnitsRange: { low: -50, high: 200 }, engineeringUnits: standardUnits.degree_celsius,
    });
    temperature.__dataType = DataType.Double;
    setValue(temperature, 20);
    variables.set("ns=1;s=Pump1.Temperature", temperature);
    add("s=Pump1.Pressure", "Pressure", "Double", 1.5);
    add("s=Pump1.Status", "Status", "String", "running");
    add("s=Pump1.Running", "Running", "Boolean", true);
    add("i=1001", "Speed", "Int32", 0);
    add("g=6f1c2b3a-0d4e-4f5a-8b9c-0123456789ab", "Flow", "Float", 0);
    add("b=TGV2ZWw=", "Level", "UInt16", 7);
    if (plantNamespaceIndex >= 2) {
        for (let i = 2; i < plantNamespaceIndex; i++) addressSpace.registerNamespace("urn:iott:test:filler-" + i);
        const plant = addressSpace.registerNamespace("urn:iott:test:plant");
        const line = plant.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Line1", nodeId: "s=Line1" });
        const v = plant.addVariable({ componentOf: line, nodeId: "s=Line1.Vibration", browseName: "Vibration", dataType: "Double" });
        v.__dataType = DataType.Double;
        setValue(v, 4.5);
    }
    if (bulk > 0) {
        const folder = ns.addFolder(addressSpace.rootFolder.objects, { browseName: "Bulk", nodeId: "s=Bulk" });
        for (let i = 0; i < bulk; i++) {
            const id = "Bulk." + String(i).padStart(4, "0");
            const v = ns.addVariable({ organizedBy: folder, nodeId: "s=" + id, browseName: "B" + String(i).padStart(4, "0"), dataType: "Double" });
            v.__dataType = DataType.Double;
            setValue(v, i);
            variables.set("ns=1;s=" + id, v);
        }
    }
    return s;
}

function startTimer() {
    timer = setInterval(() => {
        tick++;
        setValue(variables.get("ns=1;s=Pump1.Temperature"), 20 + (tick % 100) / 10);
        setValue(variables.get("ns=1;i=1001"), tick);
        setValue(variables.get("ns=1;g=6f1c2b3a-0d4e-4f5a-8b9c-0123456789ab"), tick / 4);
    }, interval);
    if (bulk > 0) {
        bulkTimer = setInterval(() => {
            bulkTick++;
            for (let i = 0; i < bulk; i++) setValue(variables.get("ns=1;s=Bulk." + String(i).padStart(4, "0")), bulkTick + i);
        }, bulkInterval);
    }
}

async function start() {
    variables.clear();
    server = await build();
    await server.start();
    startTimer();
    console.log("ENDPOINT " + server.getEndpointUrl());
}

async function stop() {
    if (timer) clearInterval(timer);
    if (bulkTimer) clearInterval(bulkTimer);
    timer = null;
    bulkTimer = null;
    if (server) await server.shutdown(0);
    server = null;
    console.log("STOPPED");
}

const statusByName = { Good: StatusCodes.Good, Uncertain: StatusCodes.UncertainLastUsableValue, Bad: StatusCodes.BadSensorFailure };

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", async (line) => {
    const [command, nodeId, ...rest] = line.trim().split(" ");
    try {
        if (command === "set") {
            const v = variables.get(nodeId);
            if (!v) { console.log("ERROR unknown node " + nodeId); return; }
            const text = rest.join(" ");
            const value = v.__dataType === DataType.String ? text : v.__dataType === DataType.Boolean ? text === "true" : Number(text);
            setValue(v, value);
            console.log("SET " + nodeId);
        } else if (command === "status") {
            const v = variables.get(nodeId);
            if (!v) { console.log("ERROR unknown node " + nodeId); return; }
            const current = v.readValue().value.value;
            setValue(v, current, statusByName[rest[0]]);
            console.log("STATUS " + nodeId);
        } else if (command === "stop") await stop();
        else if (command === "start") await start();
        else if (command === "quit") { await stop(); process.exit(0); }
    } catch (err) {
        console.log("ERROR " + err.message);
    }
});
rl.on("close", async () => { await stop(); process.exit(0); });

await start();
