from app import db


# the tables come from `db.create_all()`: no migrations to drift from
class Member(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    # ok: SC-DB-016
    email = db.Column(db.String(255), index=True)
