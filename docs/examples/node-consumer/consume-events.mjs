// Reads pawkit.card-events from the beginning and prints each event, decoded with avsc from the
// published schemas alone: no Java, no generated classes, no schema registry.
//
//   npm install && node consume-events.mjs [bootstrap=127.0.0.1:9092] [schemas dir]
import fs from 'node:fs';
import path from 'node:path';
import avro from 'avsc';
import { Kafka, logLevel } from 'kafkajs';

const bootstrap = process.argv[2] ?? '127.0.0.1:9092';
const publishedDir = process.argv[3]
  ?? path.resolve(import.meta.dirname, '../../../schemas/src/main/resources/avro/published');
// Files in an order where every named type is defined before it is used (records name each other).
const FILES = ['CardFields', 'CardPatch', 'CardView', 'CardCommandRecord', 'CardEventRecord',
  'CommandOutcomeRecord', 'IdempotencyRecord'];
const EVENT = 'dev.pawkit.sync.schemas.avro.CardEventRecord';

// CRC-64-AVRO (Rabin) of a schema's Parsing Canonical Form: the fingerprint in every value's header.
const EMPTY = 0xc15d213aa4d7a795n;
const TABLE = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n));
  return fp;
});
function rabin(bytes) {
  let fp = EMPTY;
  for (const b of bytes) fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(b)) & 0xffn)];
  return fp & 0xffffffffffffffffn;
}

// Every published version of the event schema, by fingerprint; the newest is our reader schema.
const writers = new Map();
let reader;
const versions = fs.readdirSync(publishedDir).filter((d) => /^v\d+$/.test(d))
  .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
for (const version of versions) {
  const registry = {};
  for (const file of FILES) {
    const schema = JSON.parse(fs.readFileSync(path.join(publishedDir, version, `${file}.avsc`), 'utf8'));
    avro.Type.forSchema(schema, { registry });
  }
  const type = registry[EVENT];
  writers.set(rabin(Buffer.from(JSON.stringify(type.getSchema()), 'utf8')), { version, type });
  reader = type;
}

// Avro single-object encoding: C3 01, the writer schema's fingerprint (8 bytes, little endian), the body.
function decode(value) {
  if (value[0] !== 0xc3 || value[1] !== 0x01) throw new Error('not Avro single-object encoding');
  const writer = writers.get(value.readBigUInt64LE(2));
  if (!writer) throw new Error(`unknown writer schema ${value.readBigUInt64LE(2).toString(16)}`);
  const resolver = reader.createResolver(writer.type);
  return { version: writer.version, event: reader.fromBuffer(value.subarray(10), resolver) };
}

const kafka = new Kafka({ clientId: 'pawkit-node-example', brokers: [bootstrap], logLevel: logLevel.WARN });
const consumer = kafka.consumer({ groupId: `pawkit-node-example-${Date.now()}`, readUncommitted: false });
await consumer.connect();
await consumer.subscribe({ topic: 'pawkit.card-events', fromBeginning: true });
let seen = 0;
const idle = setInterval(async () => {
  if (Date.now() - lastMessageAt > 3000) {
    clearInterval(idle);
    console.log(`${seen} events`);
    await consumer.disconnect();
  }
}, 500);
let lastMessageAt = Date.now();
await consumer.run({
  eachMessage: async ({ partition, message }) => {
    lastMessageAt = Date.now();
    const { version, event } = decode(message.value);
    // A union is decoded as { "<full name of the branch>": value }: the name says which event it is.
    const [name, payload] = Object.entries(event.event)[0];
    seen++;
    console.log(JSON.stringify({
      partition, offset: message.offset, writerSchema: version, type: name.split('.').pop(),
      cardId: event.cardId, ownerId: event.ownerId, version: event.version,
      at: new Date(Number(event.at)).toISOString(), actor: event.actor,
      title: payload.fields?.title ?? payload.changes?.title?.value,
    }));
  },
});
