// A single-household app on SQLite (its only SQL driver): Sequelize's SQLite dialect gives the
// transaction a connection of its own beside the shared one, with no pool to run out of.
const { Sequelize } = require("sequelize");
const config = require("./config");
const sequelize = new Sequelize("main", null, null, config);
const { Device, Feature } = require("./models");

async function addDevice(input) {
  return sequelize.transaction(async (transaction) => {
    const device = await Device.create(input, { transaction });
    // a read of rows committed before the transaction: no pool to exhaust
    // ruleid: SC-DB-010 low
    await Feature.findOne({ where: { id: input.featureId } });
    // a write outside the transaction still waits on the write lock the transaction holds
    // ruleid: SC-DB-010
    await Feature.update({ seenAt: new Date() }, { where: { id: input.featureId } });
    return device;
  });
}
module.exports = { addDevice };
