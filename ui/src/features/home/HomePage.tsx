import { Card, Col, Flex, Progress, Row, Skeleton, Space, Tag, Typography } from 'antd'
import { CheckCircleFilled, CheckCircleOutlined, RightOutlined } from '@ant-design/icons'
import { Link } from 'react-router'
import { $api } from '../../api/client'
import type { ChecklistStep, HomeTile, HomeTileItem } from '../../api/types'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { QueryError } from '../../components/QueryError'
import { RelativeTime } from '../../components/Time'
import { useMe } from '../auth/queries'

const SEVERITY_COLORS: Record<string, string> = { critical: 'red', warning: 'orange', info: 'blue', error: 'volcano' }
const SEVERITY_LABELS: Record<string, string> = { critical: 'critical', warning: 'warning', info: 'info', error: 'error' }

function useHome() {
  return $api.useQuery('get', '/api/v1/home', undefined, { refetchInterval: 30_000 })
}

function Checklist({ steps }: { steps: ChecklistStep[] }) {
  const done = steps.filter((step) => step.done).length
  return (
    <Card
      title="Get started"
      data-testid="checklist"
      style={{ marginBottom: 16 }}
      extra={
        <Space>
          <Typography.Text type="secondary">
            {done} of {steps.length} done
          </Typography.Text>
          <Progress type="circle" size={28} percent={Math.round((100 * done) / steps.length)} showInfo={false} />
        </Space>
      }
    >
      <Flex vertical gap={12}>
        {steps.map((step) => (
          <Flex key={step.key} gap={12} align="flex-start" data-testid={`checklist-${step.key}`} data-done={step.done}>
            {step.done ? (
              <CheckCircleFilled style={{ color: '#52c41a', fontSize: 18, marginTop: 2 }} aria-label="Done" />
            ) : (
              <CheckCircleOutlined style={{ color: '#bfbfbf', fontSize: 18, marginTop: 2 }} aria-label="To do" />
            )}
            <div style={{ minWidth: 0 }}>
              {step.done ? (
                <Typography.Text delete type="secondary">
                  {step.title}
                </Typography.Text>
              ) : (
                <Link to={step.link}>
                  <Typography.Text strong>{step.title}</Typography.Text> <RightOutlined style={{ fontSize: 10 }} />
                </Link>
              )}
              <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                {step.description}
              </Typography.Paragraph>
            </div>
          </Flex>
        ))}
      </Flex>
    </Card>
  )
}

function TileRow({ item }: { item: HomeTileItem }) {
  return (
    <Flex gap={12} align="flex-start" style={{ padding: '10px 0' }} data-testid="tile-item">
      <div style={{ minWidth: 0, flex: 1 }}>
        <Space size={6} wrap>
          {item.severity && (
            <Tag color={SEVERITY_COLORS[item.severity]} style={{ marginInlineEnd: 0 }} data-testid="tile-item-severity">
              {SEVERITY_LABELS[item.severity]}
            </Tag>
          )}
          <Link to={item.link} style={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
            {item.title}
          </Link>
          {item.service && (
            <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
              {item.service}
            </Tag>
          )}
        </Space>
        {item.detail && (
          <Typography.Paragraph type="secondary" style={{ margin: '2px 0 0', overflowWrap: 'anywhere' }}>
            {item.detail}
          </Typography.Paragraph>
        )}
      </div>
      {item.since && (
        <Typography.Text type="secondary" style={{ flex: 'none' }}>
          <RelativeTime at={item.since} />
        </Typography.Text>
      )}
    </Flex>
  )
}

function Tile({ tile }: { tile: HomeTile }) {
  const more = tile.total - tile.items.length
  return (
    <Card
      title={
        <Space>
          {tile.title}
          {tile.total > 0 && <Tag style={{ marginInlineEnd: 0 }}>{tile.total}</Tag>}
        </Space>
      }
      extra={<Link to={tile.link}>See all</Link>}
      data-testid={`tile-${tile.key}`}
      style={{ height: '100%' }}
      styles={{ body: { paddingTop: 6, paddingBottom: 6 } }}
    >
      {tile.items.length === 0 ? (
        <Flex gap={8} align="center" style={{ padding: '12px 0' }} data-testid="tile-empty">
          <CheckCircleFilled style={{ color: '#52c41a' }} />
          <Typography.Text type="secondary">{tile.empty}</Typography.Text>
        </Flex>
      ) : (
        <div>
          {tile.items.map((item, index) => (
            <div key={`${item.link}-${index}`} style={{ borderTop: index ? '1px solid #f0f0f0' : undefined }}>
              <TileRow item={item} />
            </div>
          ))}
          {more > 0 && (
            <div style={{ padding: '8px 0' }}>
              <Link to={tile.link}>and {more} more</Link>
            </div>
          )}
        </div>
      )}
    </Card>
  )
}

/** Tiles of things to act on share a row; feeds (recent changes) take the whole width. */
function tileSpan(tile: HomeTile, tiles: HomeTile[]): number {
  const actionable = tiles.filter((t) => !t.feed)
  return tile.feed || actionable.length === 1 ? 24 : 12
}

export function HomePage() {
  usePageTitle({ title: 'Home' })
  const me = useMe()
  const home = useHome()
  const name = me.data?.display_name || me.data?.username
  const tiles = home.data?.tiles ?? []
  return (
    <div data-testid="home-page">
      <PageHeading
        title={`Welcome${name ? `, ${name}` : ''}`}
        subtitle="What needs attention across your services, newest problems first."
      />
      {home.isPending && <Skeleton active paragraph={{ rows: 6 }} />}
      {home.isError && <QueryError query={home} title="Cannot load the home page" />}
      {home.data && home.data.checklist.length > 0 && <Checklist steps={home.data.checklist} />}
      {home.isSuccess && tiles.length === 0 && (
        <Card data-testid="home-nothing">
          <Typography.Text type="secondary">
            You cannot read any module yet. Ask an admin for a role.
          </Typography.Text>
        </Card>
      )}
      <Row gutter={[16, 16]}>
        {tiles.map((tile) => (
          <Col key={tile.key} xs={24} xl={tileSpan(tile, tiles)}>
            <Tile tile={tile} />
          </Col>
        ))}
      </Row>
    </div>
  )
}
