// The ceiling for web-intake: bare express + one BullMQ add per request, nothing else.
import { randomUUID } from 'node:crypto';
import express from 'express';
import { Queue } from 'bullmq';

const [redisUrl, port] = [process.argv[2]!, Number(process.argv[3])];
const u = new URL(redisUrl);
const queue = new Queue('intake', { connection: { host: u.hostname, port: Number(u.port), enableOfflineQueue: false, maxRetriesPerRequest: 1 }, prefix: 'barebench', defaultJobOptions: { removeOnComplete: true } });
const app = express();
app.use(express.json());
app.post('/v1/messages', async (req, res) => {
  const job = await queue.add('inbound', req.body, { jobId: randomUUID().replace(/-/g, '') });
  res.status(202).json({ id: job.id, status: 'accepted' });
});
app.listen(port, '127.0.0.1', () => process.send?.('ready'));
