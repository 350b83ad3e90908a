// A simulated PLC for `make run`: a node-opcua server (installed in tests/node by scripts/setup.sh) exposing
// a production line's motor and compressor values that change like real signals (slow cycle + noise).
//
//   node plc-sim.mjs --port 4840 --pki DIR [--interval 200]
//
// Prints "ENDPOINT opc.tcp://127.0.0.1:PORT/UA/Line1" when it listens. Nodes (namespace 1):
//   ns=1;s=Line1.Motor1.Temperature  Double, EngineeringUnits degC
//   ns=1;s=Line1.Motor1.Current      Double, EngineeringUnits A
//   ns=1;s=Line1.Compressor.Pressure Double, EngineeringUnits bar
//   ns=1;s=Line1.Motor1.Running      Boolean
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "..", "tests", "node", "package.json"));
const { OPCUAServer } = require("node-opcua-server");
const { OPCUACertificateManager } = require("node-opcua-certificate-manager");
const { Variant, DataType } = require("node-opcua-variant");
const { StatusCodes } = require("node-opcua-status-code");
const { standardUnits } = require("node-opcua-data-access");

const args = process.argv.slice(2);
const arg = (name, fallback) => { const i = args.indexOf("--" + name); return i >= 0 ? args[i + 1] : fallback; };
const port = Number(arg("port", "4840"));
const pki = arg("pki", null);
const interval = Number(arg("interval", "200"));
if (!pki) { console.error("--pki <folder> is required"); process.exit(2); }

const server = new OPCUAServer({
    port, resourcePath: "/UA/Line1", hostname: "127.0.0.1", alternateHostname: ["127.0.0.1"], // its certificate names 127.0.0.1, which the agent checks
    serverCertificateManager: new OPCUACertificateManager({ rootFolder: path.join(pki, "server"), automaticallyAcceptUnknownCertificate: true }),
    buildInfo: { productName: "IotTelemetry simulated PLC" },
});
await server.initialize();
const ns = server.engine.addressSpace.getOwnNamespace();
const line = ns.addObject({ organizedBy: server.engine.addressSpace.rootFolder.objects, browseName: "Line1", nodeId: "s=Line1" });
const signals = [
    { id: "Line1.Motor1.Temperature", name: "Temperature", unit: standardUnits.degree_celsius, level: 55, amplitude: 2, period: 600, noise: 0.2 },
    { id: "Line1.Motor1.Current", name: "Current", unit: standardUnits.ampere, level: 22, amplitude: 3, period: 480, noise: 0.3 },
    { id: "Line1.Compressor.Pressure", name: "Pressure", unit: standardUnits.bar, level: 7.5, amplitude: 0.4, period: 540, noise: 0.05 },
];
for (const s of signals) {
    s.variable = ns.addAnalogDataItem({
        componentOf: line, nodeId: "s=" + s.id, browseName: s.name, dataType: "Double",
        engineeringUnits: s.unit, engineeringUnitsRange: { low: 0, high: 1000 },
    });
}
const running = ns.addVariable({ componentOf: line, nodeId: "s=Line1.Motor1.Running", browseName: "Running", dataType: "Boolean" });
running.setValueFromSource(new Variant({ dataType: DataType.Boolean, value: true }), StatusCodes.Good, new Date());

function gaussian() { return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random()); }
const start = Date.now();
setInterval(() => {
    const t = (Date.now() - start) / 1000;
    for (const s of signals) {
        const value = Math.round((s.level + s.amplitude * Math.sin(2 * Math.PI * t / s.period) + s.noise * gaussian()) * 1000) / 1000;
        s.variable.setValueFromSource(new Variant({ dataType: DataType.Double, value }), StatusCodes.Good, new Date());
    }
}, interval);

await server.start();
console.log("ENDPOINT " + server.getEndpointUrl());
process.on("SIGTERM", async () => { await server.shutdown(0); process.exit(0); });
