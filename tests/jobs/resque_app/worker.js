// A real Resque-compatible worker (node-resque) for the jobs tests. It works the
// "billing" queue of the Redis in REDIS_URL (namespace "resque", as Resque's), and a
// test steers it through Redis keys: "broken" makes charge_card fail, "release" lets
// hold finish, and every job that succeeds records itself in the "done" list.
const { Queue, Worker } = require("node-resque");

const url = new URL(process.env.REDIS_URL);
const connection = {
  host: url.hostname,
  port: Number(url.port),
  database: Number(url.pathname.slice(1) || 0),
  namespace: process.env.RESQUE_NAMESPACE || "resque",
};

async function main() {
  const queue = new Queue({ connection });
  await queue.connect();
  const redis = queue.connection.redis;
  const record = (entry) => redis.rpush(`${connection.namespace}:test:done`, entry);
  const jobs = {
    charge_card: {
      perform: async (order) => {
        if ((await redis.get(`${connection.namespace}:test:broken`)) === "1") {
          throw new TypeError(`card declined for order ${order}`);
        }
        await record(`charge_card:${order}`);
      },
    },
    hold: {
      perform: async (tag) => {
        await redis.duplicate().blpop(`${connection.namespace}:test:release`, 60);
        await record(`hold:${tag}`);
      },
    },
  };
  if (process.argv[2] === "enqueue") {
    await queue.enqueue(process.argv[3], process.argv[4], JSON.parse(process.argv[5]));
    await queue.end();
    return;
  }
  const worker = new Worker({ connection, queues: ["billing"], timeout: 100 }, jobs);
  await worker.connect();
  worker.start();
  const stop = async () => {
    await worker.end();
    await queue.end();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
