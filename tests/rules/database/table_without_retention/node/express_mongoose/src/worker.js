const { Worker } = require("bullmq");
const mongoose = require("mongoose");
const { Delivery } = require("./models");

new Worker("webhooks", async (job) => {
  for (const hook of job.data.hooks) {
    const status = await send(hook);
    // ruleid: SC-DB-015
    await Delivery.create({ hook: hook.url, status, at: new Date() });
  }
});

mongoose.connect(process.env.MONGO_URL);

async function send(hook) {
  return 200;
}
