import { Card, Col, Empty, Row, Skeleton, Typography } from 'antd'
import { useNavigate } from 'react-router'
import { ModuleIcon } from '../../app/icons'
import { moduleNavEntries } from '../../app/navigation'
import { useModules } from '../../app/queries'
import { ErrorAlert } from '../../components/ErrorAlert'
import { usePageTitle } from '../../components/PageTitle'
import { useMe } from '../auth/queries'
import type { Module } from '../../api/types'

function ModuleCard({ module }: { module: Module & { path: string } }) {
  const navigate = useNavigate()
  return (
    <Card
      hoverable
      role="link"
      tabIndex={0}
      aria-label={module.title}
      data-testid={`module-card-${module.name}`}
      onClick={() => navigate(module.path)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault()
          navigate(module.path)
        }
      }}
      style={{ height: '100%' }}
    >
      <Card.Meta
        avatar={
          <div
            style={{
              width: 44,
              height: 44,
              borderRadius: 10,
              background: '#e6f4ff',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
            }}
          >
            <ModuleIcon name={module.icon} style={{ fontSize: 22, color: '#1677ff' }} />
          </div>
        }
        title={module.title}
        description={<Typography.Paragraph type="secondary" ellipsis={{ rows: 3 }} style={{ margin: 0 }}>{module.description}</Typography.Paragraph>}
      />
    </Card>
  )
}

export function HomePage() {
  usePageTitle({ title: 'Home' })
  const me = useMe()
  const modules = useModules()
  const name = me.data?.display_name || me.data?.username
  const withPages = modules.data
    ? modules.data.filter((m): m is Module & { path: string } => moduleNavEntries([m]).length > 0)
    : []

  return (
    <div data-testid="home-page">
      <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
        Welcome{name ? `, ${name}` : ''}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 24 }}>
        Gyrfalcon keeps your business services, their connections and their health in one place. Pick a module to start.
      </Typography.Paragraph>
      {modules.isPending && (
        <Row gutter={[16, 16]}>
          {[0, 1, 2].map((key) => (
            <Col key={key} xs={24} sm={12} lg={8} xxl={6}>
              <Card>
                <Skeleton active avatar paragraph={{ rows: 2 }} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      {modules.isError && <ErrorAlert error={modules.error} title="Cannot load the modules" />}
      {modules.isSuccess && withPages.length === 0 && (
        <Empty description="No module with a page is installed." data-testid="home-empty" />
      )}
      {withPages.length > 0 && (
        <Row gutter={[16, 16]} data-testid="module-cards">
          {withPages.map((module) => (
            <Col key={module.name} xs={24} sm={12} lg={8} xxl={6}>
              <ModuleCard module={module} />
            </Col>
          ))}
        </Row>
      )}
    </div>
  )
}
