// Encodes a Sparkplug B payload with Eclipse Tahu's JavaScript library (npm sparkplug-payload), an implementation
// we did not write, for the edge agent's Sparkplug tests.
//   stdin: the payload as JSON ({timestamp, seq, metrics: [{name, alias, type, value, timestamp}]}); stdout: hex
//   JSON has no NaN or Infinity: a Float or Double metric's value "NaN", "Infinity" or "-Infinity" is encoded as that number.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const sparkplug = require("sparkplug-payload").get("spBv1.0");
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
for (const metric of payload.metrics ?? [])
  if ((metric.type === "Float" || metric.type === "Double") && ["NaN", "Infinity", "-Infinity"].includes(metric.value))
    metric.value = Number(metric.value);
process.stdout.write(Buffer.from(sparkplug.encodePayload(payload)).toString("hex"));
