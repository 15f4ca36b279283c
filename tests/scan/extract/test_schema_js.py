"""Code-defined schemas in JS/TS: TypeORM, NestJS/Mongoose, Drizzle, Sequelize, Knex."""

from __future__ import annotations

from scalescope.model.facts import Column, Index, IndexDef, Loc, Table
from scalescope.scan.extract.base import extract_file


def _schema(src: str, path: str = "src/models.ts") -> tuple[dict[str, Table], list[IndexDef]]:
    facts = extract_file(path, "typescript", src).facts
    tables = {f.model or f.name: f for f in facts if isinstance(f, Table)}
    return tables, [f for f in facts if isinstance(f, IndexDef)]


TYPEORM = """\
@Entity('users')
@Index(['orgId', 'createdAt'], { unique: true })
@Index('ix_name', (u) => [u.name, u.id])
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index()
  @Column({ unique: true, name: 'e_mail' })
  email: string;
  @Column() name: string;
  @ManyToOne(() => Org, (o) => o.users) @JoinColumn({ name: 'org_id' }) org: Org;
  @ManyToOne(() => Team) team: Team;
  @OneToMany(() => Post, (p) => p.author) posts: Post[];
}

@Entity()
export class AuditLogEntry { @PrimaryColumn() id: number; @Column() action: string; }
"""


def test_typeorm_entity() -> None:
    tables, _ = _schema(TYPEORM)
    user = tables["User"]
    assert (user.name, user.source, user.loc.line) == ("users", "typeorm", 4)
    cols = {c.name: c for c in user.columns}
    assert cols["id"] == Column("id", 5, type="string", primary_key=True)
    assert cols["email"] == Column("email", 8, db_name="e_mail", type="string", unique=True, indexed=True)
    assert cols["name"] == Column("name", 9, type="string")
    assert cols["org"] == Column("org", 10, type="ManyToOne", references="Org", is_relation=True)
    assert cols["org_id"] == Column("org_id", 10, references="Org.id")
    assert cols["teamId"] == Column("teamId", 11, references="Team.id")  # TypeORM does not index FKs
    assert cols["posts"].is_relation
    assert user.indexes == (
        Index(("orgId", "createdAt"), 2, unique=True),
        Index(("name", "id"), 3, name="ix_name"),
    )
    assert tables["AuditLogEntry"].name == "audit_log_entry"


MONGOOSE = """\
import mongoose, { Schema } from 'mongoose';
const userSchema = new Schema({
  email: { type: String, index: true, unique: true },
  name: String,
  org: { type: Schema.Types.ObjectId, ref: 'Org' },
  address: { city: String },
}, { timestamps: true });
userSchema.index({ name: 1, createdAt: -1 }, { unique: true });
userSchema.index({ name: 'text' });
export const User = mongoose.model('User', userSchema);

@Schema({ collection: 'cats' })
export class Cat { @Prop({ index: true }) name: string; @Prop({ ref: 'Owner' }) owner: string }
export const CatSchema = SchemaFactory.createForClass(Cat);
CatSchema.index({ owner: 1 });
"""


def test_mongoose_schema_and_nest_schema() -> None:
    tables, defs = _schema(MONGOOSE)
    user = tables["User"]
    assert (user.name, user.source, user.loc.line) == ("users", "mongoose", 2)
    cols = {c.name: c for c in user.columns}
    assert cols["_id"].primary_key
    assert cols["email"] == Column("email", 3, type="String", unique=True, indexed=True)
    assert cols["org"].references == "Org" and not cols["org"].is_relation
    assert {"createdAt", "updatedAt"} <= set(cols)
    assert user.indexes == (Index(("name", "createdAt"), 8, unique=True),)
    cat = tables["Cat"]
    assert cat.name == "cats" and {c.name: c.indexed for c in cat.columns}["name"]
    assert defs == [IndexDef(Loc("src/models.ts", 15), "Cat", ("owner",), source="mongoose")]


DRIZZLE = """\
export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
  orgId: integer('org_id').references(() => orgs.id),
  createdAt: timestamp('created_at'),
}, (t) => ({
  orgIdx: index('org_idx').on(t.orgId, t.createdAt),
}));
const posts = sqliteTable('posts', { id: int(), title: text() }, (t) => [uniqueIndex('t').on(t.title)]);
"""


def test_drizzle_tables() -> None:
    tables, _ = _schema(DRIZZLE)
    users = tables["users"]
    assert (users.name, users.source) == ("users", "drizzle")
    cols = {c.name: c for c in users.columns}
    assert cols["id"] == Column("id", 2, type="serial", primary_key=True)
    assert cols["email"] == Column("email", 3, type="text", unique=True)
    assert cols["orgId"] == Column("orgId", 4, db_name="org_id", type="integer", references="orgs.id")
    assert users.indexes == (Index(("orgId", "createdAt"), 7, name="org_idx"),)
    assert tables["posts"].indexes == (Index(("title",), 9, unique=True, name="t"),)


SEQUELIZE_KNEX = """\
const User = sequelize.define('User', {
  email: { type: DataTypes.STRING, unique: true },
  status: DataTypes.STRING,
  orgId: { type: DataTypes.INTEGER, field: 'org_id' },
}, { indexes: [{ fields: ['status', 'createdAt'] }] });
class Order extends Model {}
Order.init({ status: DataTypes.STRING }, { sequelize, tableName: 'orders' });
exports.up = (knex) => knex.schema.createTable('items', (table) => {
  table.increments();
  table.string('sku').notNullable().unique();
  table.integer('order_id').references('id').inTable('orders').index();
  table.index(['name', 'sku'], 'ix_name');
}).alterTable('orders', (t) => { t.index('status'); });
"""


def test_sequelize_and_knex() -> None:
    tables, defs = _schema(SEQUELIZE_KNEX, "migrations/001.js")
    user = tables["User"]
    assert (user.name, user.source) == ("Users", "sequelize")
    cols = {c.name: c for c in user.columns}
    assert cols["email"].unique and cols["orgId"].db_name == "org_id" and cols["id"].primary_key
    assert user.indexes == (Index(("status", "createdAt"), 5),)
    assert tables["Order"].name == "orders"
    items = tables["items"]
    assert items.source == "knex"
    kcols = {c.name: c for c in items.columns}
    assert kcols["id"].primary_key and kcols["sku"].unique
    assert kcols["order_id"].indexed and kcols["order_id"].references == "orders"
    assert items.indexes == (Index(("name", "sku"), 12, name="ix_name"),)
    assert defs == [IndexDef(Loc("migrations/001.js", 13), "orders", ("status",), source="knex")]
