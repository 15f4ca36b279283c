const { sequelize, Order } = require("./db");
const axios = require("axios");
const sharp = require("sharp");
const knex = require("knex")({ client: "pg" });

async function createOrder(data) {
  // the remote call happens before the transaction opens
  // ok: SC-DB-008
  const quote = await axios.get("https://shipping.example.com/quote", { timeout: 3000 });
  const order = await sequelize.transaction(async (t) => {
    return Order.create({ ...data, shipping: quote.data.price }, { transaction: t });
  });
  // and the notification after it commits
  // ok: SC-DB-008
  await axios.post("https://hooks.example.com/order", { id: order.id }, { timeout: 3000 });
  return order;
}

async function saveAvatar(userId, buffer) {
  // ok: SC-DB-008
  const small = await sharp(buffer).resize(128).toBuffer();
  await knex.transaction(async (trx) => {
    await trx("users").where({ id: userId }).update({ avatar: small });
  });
}

async function resizeInside(userId, buffer) {
  await knex.transaction(async (trx) => {
    // ruleid: SC-DB-008
    const small = await sharp(buffer).resize(128).toBuffer();
    await trx("users").where({ id: userId }).update({ avatar: small });
  });
}

module.exports = { createOrder, saveAvatar, resizeInside };

async function importChunks(chunks) {
  for (const chunk of chunks) {
    await sequelize.transaction(async (t) => {
      await Order.bulkCreate(chunk, { transaction: t });
      // a few milliseconds' yield to the event loop between chunks, not slow work
      // ok: SC-DB-008
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
  }
}
