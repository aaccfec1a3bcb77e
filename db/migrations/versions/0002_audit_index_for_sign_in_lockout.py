"""Index the audit log by actor and time: the sign-in lockout counts a login's recent refusals.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 10:25:25.857975
"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_actor_at'), ['actor', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_at'))
