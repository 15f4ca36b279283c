import mongoose from "mongoose";

const subscriberSchema = new mongoose.Schema({ email: String, list: String });
export const Subscriber = mongoose.model("Subscriber", subscriberSchema);

const customerSchema = new mongoose.Schema({ email: { type: String, unique: true }, name: String });
export const Customer = mongoose.model("Customer", customerSchema);
