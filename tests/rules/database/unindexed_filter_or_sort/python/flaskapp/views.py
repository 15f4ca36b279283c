from flask import Blueprint, request

from .models import Member

bp = Blueprint("members", __name__)


@bp.route("/members/count")
def member_count():
    # a boolean flag: an index on it rarely helps
    # ok: SC-DB-006
    return {"n": Member.query.filter_by(banned=False, hidden=False).count()}


@bp.route("/login", methods=["POST"])
def login():
    # ruleid: SC-DB-006
    member = Member.query.filter_by(name=request.form["name"]).first()
    return {"id": member.id if member else None}
