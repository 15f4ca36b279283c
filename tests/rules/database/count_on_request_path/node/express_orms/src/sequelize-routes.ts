import { Router } from "express";
import { DataTypes, Sequelize } from "sequelize";

const sequelize = new Sequelize(process.env.DATABASE_URL!);
const Booking = sequelize.define("Booking", { slot: DataTypes.STRING, guest: DataTypes.STRING });
const Room = sequelize.define("Room", { name: DataTypes.STRING, capacity: DataTypes.INTEGER });
const router = Router();

router.post("/bookings", async (req, res) => {
  const room = await Room.findByPk(req.body.roomId);
  // ruleid: SC-DB-017
  const booked = await Booking.count({ where: { slot: req.body.slot } });
  if (booked >= room!.get("capacity")) return res.status(409).end();
  res.json(await Booking.create({ slot: req.body.slot, guest: req.body.guest }));
});

router.get("/bookings", async (req, res) => {
  // the total of a paginated list: SC-DB-005's case
  // ok: SC-DB-017
  const { rows, count } = await Booking.findAndCountAll({ limit: 20, offset: Number(req.query.offset) });
  res.json({ rows, count });
});

export default router;
