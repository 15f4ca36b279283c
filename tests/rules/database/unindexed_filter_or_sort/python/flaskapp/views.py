from flask import Blueprint, abort, request
from flask_login import current_user

from .models import Member

bp = Blueprint("members", __name__)


@bp.route("/members/count")
def member_count():
    # boolean flags only: an index alone barely narrows them (low, partial-index advice)
    # ruleid: SC-DB-006 low
    return {"n": Member.query.filter_by(banned=False, hidden=False).count()}


@bp.route("/login", methods=["POST"])
def login():
    # ruleid: SC-DB-006
    member = Member.query.filter_by(name=request.form["name"]).first()
    return {"id": member.id if member else None}


def roles_required(*roles):
    def wrap(fn):
        return fn

    return wrap


@bp.route("/moderation/members")
@roles_required("moderator")
def moderation_members():
    # only moderators call it: a few people, not the traffic that grows
    # ruleid: SC-DB-006 low
    return {"ids": [m.id for m in Member.query.filter_by(email=request.args["email"]).limit(20)]}


@bp.route("/members/by-city")
def members_by_city():
    if not current_user.is_admin:
        abort(403)
    # the handler refuses everyone but admins first: an admin route
    # ruleid: SC-DB-006 low
    return {"ids": [m.id for m in Member.query.filter_by(city=request.args["city"]).limit(20)]}
