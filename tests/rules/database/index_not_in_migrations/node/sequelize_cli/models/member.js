const { DataTypes, Model } = require("sequelize");

class Member extends Model {}

module.exports = (sequelize) => {
  Member.init(
    {
      // ok: SC-DB-016
      email: { type: DataTypes.STRING, allowNull: false, unique: true },
      // ruleid: SC-DB-016
      handle: { type: DataTypes.STRING, unique: true },
      teamId: { type: DataTypes.INTEGER, allowNull: false },
      role: { type: DataTypes.STRING },
    },
    {
      sequelize,
      modelName: "Member",
      indexes: [
        // ok: SC-DB-016
        { fields: ["teamId"] },
        // ruleid: SC-DB-016
        { fields: ["role", "teamId"] },
      ],
    },
  );
  return Member;
};
