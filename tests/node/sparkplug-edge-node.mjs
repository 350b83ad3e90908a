// A Sparkplug B edge node made of Eclipse Tahu's JavaScript client (npm sparkplug-client), for the edge agent's
// host application tests: it connects through mosquitto with its NDEATH as the MQTT will, and answers an NCMD
// "Node Control/Rebirth" with its NBIRTH and DBIRTH again, as an edge node must.
//   argv: serverUrl group edgeNode device
//   stdin, one JSON command a line:
//     {"op":"birth","node":[metrics],"device":[metrics]}  NBIRTH (Tahu adds bdSeq) then DBIRTH
//     {"op":"ddata","metrics":[metrics]}                  DDATA with the next seq
//     {"op":"skip","n":2}                                  skips n seq numbers: the next message shows a gap
//   stdout: READY once subscribed to its commands, NCMD <payload as Tahu decoded it>, REBIRTH after answering one
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
const require = createRequire(import.meta.url);
const sparkplug = require("sparkplug-client");

const [serverUrl, groupId, edgeNode, device] = process.argv.slice(2);
const client = sparkplug.newClient({
  serverUrl, groupId, edgeNode, clientId: `edge-node-${edgeNode}-${process.pid}`, username: "", password: "", version: "spBv1.0",
});
let births = null;
const copy = (metrics) => metrics.map((m) => ({ ...m }));
const publishBirths = () => {
  client.publishNodeBirth({ timestamp: Date.now(), metrics: copy(births.node) });
  client.publishDeviceBirth(device, { timestamp: Date.now(), metrics: copy(births.device) });
};

client.on("birth", () => {
  // Tahu subscribes to NCMD before emitting "birth"; a subscription of our own, acknowledged after it, tells when it is in place.
  client.client.subscribe(`spBv1.0/${groupId}/NCMD/${edgeNode}`, { qos: 0 }, (err) => console.log(err ? "ERROR " + err.message : "READY"));
});
client.on("ncmd", (payload) => {
  console.log("NCMD " + JSON.stringify(payload.metrics.map((m) => ({ name: m.name, type: m.type, value: m.value }))));
  const rebirth = payload.metrics.find((m) => m.name === "Node Control/Rebirth");
  if (rebirth && rebirth.value === true && births) {
    publishBirths();
    console.log("REBIRTH");
  }
});
client.on("error", (err) => console.log("ERROR " + err.message));

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const command = JSON.parse(line);
  if (command.op === "birth") {
    births = command;
    publishBirths();
  } else if (command.op === "ddata") {
    client.publishDeviceData(device, { timestamp: Date.now(), metrics: command.metrics });
  } else if (command.op === "skip") {
    client.seq = (client.seq + command.n) % 256;
  }
  console.log("DONE " + command.op);
}
