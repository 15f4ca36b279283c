from flask_sqlalchemy import SQLAlchemy

# the statement timeout is set in config.py (SQLALCHEMY_ENGINE_OPTIONS connect_args)
# ok: SC-DB-002
db = SQLAlchemy()
