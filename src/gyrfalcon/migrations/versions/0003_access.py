"""Access control: teams, roles, grants, role holders, directory group mappings.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp() -> sa.types.TypeEngine[Any]:
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("name", name=op.f("uq_teams_name")),
    )
    roles = op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint("name", name=op.f("uq_roles_name")),
    )
    op.create_table(
        "team_members",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_team_members_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_team_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_team_members")),
    )
    op.create_index(op.f("ix_team_members_user_id"), "team_members", ["user_id"])
    grants = op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("module", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_grants_role_id_roles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants")),
    )
    op.create_index(op.f("ix_grants_role_id"), "grants", ["role_id"])
    op.create_table(
        "user_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_user_roles_role_id_roles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_roles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_roles")),
        sa.UniqueConstraint("user_id", "role_id", "source", name=op.f("uq_user_roles_user_id")),
    )
    op.create_index(op.f("ix_user_roles_user_id"), "user_roles", ["user_id"])
    op.create_table(
        "team_roles",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_team_roles_role_id_roles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_team_roles_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "role_id", name=op.f("pk_team_roles")),
    )
    op.create_table(
        "directory_group_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=500), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_directory_group_mappings_role_id_roles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_group_mappings")),
        sa.UniqueConstraint("group", "role_id", name=op.f("uq_directory_group_mappings_group")),
    )
    op.create_index(
        op.f("ix_directory_group_mappings_role_id"), "directory_group_mappings", ["role_id"]
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    # Plain INSERTs without ids: each database's own sequence numbers the rows (a bulk
    # insert on PostgreSQL left the sequence behind the ids it wrote).
    for name, description in (
        ("Admin", "Everything, on every service, including users and roles."),
        ("Viewer", "Read every module on every service."),
    ):
        op.execute(
            sa.text(
                "INSERT INTO roles (name, description, builtin, created_at) "
                "VALUES (:name, :description, :builtin, :created_at)"
            ).bindparams(name=name, description=description, builtin=True, created_at=now)
        )
    # Ids come from each database's own sequence, so the grants find their role by name.
    for role, action in (("Admin", "*"), ("Viewer", "read")):
        op.execute(
            sa.insert(grants).from_select(
                ["role_id", "module", "action", "scope", "targets"],
                sa.select(
                    roles.c.id,
                    sa.literal("*"),
                    sa.literal(action),
                    sa.literal("all"),
                    sa.literal([], sa.JSON()),
                ).where(roles.c.name == role),
            )
        )
    op.execute(sa.text("INSERT INTO revisions (name, value) VALUES ('access', 0)"))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM revisions WHERE name = 'access'"))
    for table in (
        "directory_group_mappings",
        "team_roles",
        "user_roles",
        "grants",
        "team_members",
        "roles",
        "teams",
    ):
        op.drop_table(table)
