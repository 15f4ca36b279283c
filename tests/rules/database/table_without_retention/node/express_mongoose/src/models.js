const mongoose = require("mongoose");

const linkSchema = new mongoose.Schema({ code: { type: String, unique: true }, url: String });
const clickSchema = new mongoose.Schema({ code: String, ip: String, at: { type: Date, default: Date.now } });
const sessionSchema = new mongoose.Schema({
  token: { type: String, unique: true },
  createdAt: { type: Date, default: Date.now, expires: "7d" },
});
const eventSchema = new mongoose.Schema({ name: String, at: Date });
eventSchema.index({ at: 1 }, { expireAfterSeconds: 86400 });
const deliverySchema = new mongoose.Schema({ hook: String, status: Number, at: Date });

module.exports = {
  Link: mongoose.model("Link", linkSchema),
  Click: mongoose.model("Click", clickSchema),
  Session: mongoose.model("Session", sessionSchema),
  Event: mongoose.model("Event", eventSchema),
  Delivery: mongoose.model("Delivery", deliverySchema),
};
