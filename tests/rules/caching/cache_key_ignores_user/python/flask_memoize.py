from flask import Blueprint
from flask_caching import Cache
from flask_login import current_user

from app.models import Award, Solve, db

cache = Cache()
bp = Blueprint("scores", __name__)


class Member(db.Model):
    id = db.Column(db.Integer, primary_key=True)

    # memoize keys on the arguments and on `self`: one entry per member
    # ok: SC-CACHE-008
    @cache.memoize()
    def total_points(self, admin=False):
        rows = db.session.query(Solve.user_id, db.func.sum(Solve.value)).filter(Solve.user_id == self.id)
        return rows.first()


# a shared leaderboard: reads user_id columns, but nothing about the caller
# ok: SC-CACHE-008
@cache.memoize(timeout=60)
def leaderboard(count, bracket=None):
    solves = Solve.query.filter(Solve.user_id.in_([1, 2, 3])).all()
    awards = Award.query.all()
    return solves, awards


# the caller comes from the request context, not from the arguments
# ruleid: SC-CACHE-008
@cache.memoize(timeout=60)
def my_progress(bracket=None):
    return Solve.query.filter_by(user_id=current_user.id).all()


@bp.route("/scores")
def scores():
    return {"top": leaderboard(10), "mine": my_progress()}
