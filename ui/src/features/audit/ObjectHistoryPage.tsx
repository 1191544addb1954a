import { useState } from 'react'
import { Alert, Button, Card, Col, Empty, Flex, Form, Input, Row, Select, Skeleton, Space, Tag, Timeline, Typography, theme } from 'antd'
import { Link, useSearchParams } from 'react-router'
import type { AuditRecord } from '../../api/types'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { actionColor, stateAt } from './format'
import { HISTORY_LIMIT, useAuditFacets, useAuditRecord, useObjectHistory } from './queries'
import { ActionTag, Actor, SnapshotView } from './shared'
import { AbsoluteTime } from '../../components/Time'
import { QueryError } from '../../components/QueryError'

const TIMELINE_COLORS: Record<string, string> = { green: 'green', red: 'red', volcano: 'red', blue: 'blue' }

function timelineColor(action: string): string {
  return TIMELINE_COLORS[actionColor(action)] ?? 'gray'
}

/** Asks which object to show when the address names none. */
function ObjectPicker({ objectType, objectId }: { objectType: string; objectId: string }) {
  const [, setParams] = useSearchParams()
  const [type, setType] = useState(objectType)
  const [id, setId] = useState(objectId)
  const facets = useAuditFacets()
  return (
    <Form
      layout="inline"
      onFinish={() => setParams({ object_type: type.trim(), object_id: id.trim() })}
      style={{ rowGap: 8 }}
      data-testid="history-picker"
    >
      <Form.Item label="Object type">
        <Select
          showSearch
          aria-label="Object type"
          placeholder="service"
          value={type || undefined}
          onChange={(value: string) => setType(value)}
          loading={facets.isPending}
          options={(facets.data?.object_types ?? []).map((value) => ({ value, label: value }))}
          style={{ width: 200 }}
        />
      </Form.Item>
      <Form.Item label="Object id">
        <Input aria-label="Object id" value={id} onChange={(event) => setId(event.target.value)} placeholder="42" style={{ width: 120 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" disabled={!type.trim() || !id.trim()}>
        Show history
      </Button>
    </Form>
  )
}

/** The object's full state at the selected record: after it, or before it for a delete. */
function StateAt({ entry }: { entry: AuditRecord }) {
  const detail = useAuditRecord(entry.id)
  if (detail.isPending) return <Skeleton active paragraph={{ rows: 8 }} />
  if (detail.isError) {
    return <QueryError query={detail} title="Cannot load this record" />
  }
  const state = stateAt(detail.data)
  return (
    <div data-testid="history-state" data-record={entry.id}>
      <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 12 }}>
        <Space size={8} wrap>
          <ActionTag action={entry.action} />
          <AbsoluteTime at={entry.at} />
          <Actor record={entry} />
        </Space>
        <Link to={`/audit/${entry.id}`} data-testid="history-record-link">
          Open the record
        </Link>
      </Flex>
      {state?.side === 'before' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message="The object was deleted here: this is its last state, before the delete."
        />
      )}
      {detail.data.changes.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          Highlighted: what this record changed ({detail.data.changes.length} path{detail.data.changes.length === 1 ? '' : 's'}).
        </Typography.Paragraph>
      )}
      <SnapshotView
        snapshot={state?.snapshot ?? null}
        changes={detail.data.changes}
        side={state?.side ?? 'after'}
        testId="history-snapshot"
        emptyText="This record holds no state of the object."
      />
    </div>
  )
}

export function ObjectHistoryPage() {
  const [params, setParams] = useSearchParams()
  const objectType = (params.get('object_type') ?? '').trim()
  const objectId = (params.get('object_id') ?? '').trim()
  const history = useObjectHistory(objectType, objectId)
  const { token } = theme.useToken()
  const items = history.data?.items ?? []
  const selectedParam = Number(params.get('record') ?? '')
  const selected = items.find((item) => item.id === selectedParam) ?? items[0] ?? null
  const name = items.find((item) => item.object_name)?.object_name ?? ''
  const label = objectType && objectId ? `${objectType} ${name || `#${objectId}`}` : 'Object history'
  usePageTitle({ title: 'Audit log', path: '/audit' }, { title: `History of ${label}` })

  const select = (id: number) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous)
        next.set('record', String(id))
        return next
      },
      { replace: true },
    )

  const heading = (
    <PageHeading
      title={objectType && objectId ? `History of ${label}` : 'Object history'}
      subtitle={
        objectType && objectId ? (
          <>
            Every recorded change of {objectType} <Typography.Text code>#{objectId}</Typography.Text>, newest first. Pick an
            entry to see the object as it was then.
          </>
        ) : (
          'Name an object to see every recorded change of it.'
        )
      }
      extra={<Link to="/audit">Audit log</Link>}
    />
  )

  if (!objectType || !objectId) {
    return (
      <div data-testid="audit-history-page">
        {heading}
        <Card>
          <ObjectPicker objectType={objectType} objectId={objectId} />
        </Card>
      </div>
    )
  }

  return (
    <div data-testid="audit-history-page">
      {heading}
      {history.isError ? (
        <QueryError query={history} title="Cannot load the history" />
      ) : history.isPending ? (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : items.length === 0 ? (
        <Card data-testid="audit-history">
          <Empty description={`Nothing recorded for ${objectType} #${objectId}.`} data-testid="history-empty" />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={9}>
            <Card title="Timeline" styles={{ body: { paddingBottom: 0 } }}>
              {history.data.total > items.length && (
                <Alert
                  type="info"
                  style={{ marginBottom: 12 }}
                  message={`Showing the latest ${items.length} of ${history.data.total} records (at most ${HISTORY_LIMIT}).`}
                />
              )}
              <Timeline
                data-testid="audit-history"
                items={items.map((item) => {
                  const active = item.id === selected?.id
                  return {
                    key: item.id,
                    color: timelineColor(item.action),
                    children: (
                      <div
                        role="button"
                        tabIndex={0}
                        aria-pressed={active}
                        data-testid={`history-entry-${item.id}`}
                        data-selected={active ? 'true' : undefined}
                        onClick={() => select(item.id)}
                        onKeyDown={(event) => {
                          if (event.key === 'Enter' || event.key === ' ') {
                            event.preventDefault()
                            select(item.id)
                          }
                        }}
                        style={{
                          cursor: 'pointer',
                          padding: '4px 8px',
                          marginTop: -4,
                          borderRadius: token.borderRadius,
                          background: active ? token.controlItemBgActive : undefined,
                          outline: 'none',
                        }}
                      >
                        <Space size={6} wrap>
                          <ActionTag action={item.action} />
                          {item.object_name && item.object_name !== name && <Tag>{item.object_name}</Tag>}
                        </Space>
                        <div style={{ fontSize: 12, marginTop: 4 }}>
                          <Space size={6} wrap>
                            <AbsoluteTime at={item.at} />
                            <Actor record={item} />
                          </Space>
                        </div>
                        <Link
                          to={`/audit/${item.id}`}
                          onClick={(event) => event.stopPropagation()}
                          style={{ fontSize: 12 }}
                          data-testid={`history-open-${item.id}`}
                        >
                          Record #{item.id}
                        </Link>
                      </div>
                    ),
                  }
                })}
              />
            </Card>
          </Col>
          <Col xs={24} lg={15}>
            <Card title="State at this record">{selected && <StateAt key={selected.id} entry={selected} />}</Card>
          </Col>
        </Row>
      )}
    </div>
  )
}
