const { Sequelize } = require("sequelize");
const cls = require("cls-hooked");
Sequelize.useCLS(cls.createNamespace("app"));
const sequelize = new Sequelize(process.env.DATABASE_URL);
const { Wallet } = require("./models");

async function topUp(id, amount) {
  await sequelize.transaction(async (t) => {
    // CLS hands `t` to every query of the callback
    // ok: SC-DB-010
    await Wallet.update({ touchedAt: new Date() }, { where: { id } });
  });
}
module.exports = { topUp };
