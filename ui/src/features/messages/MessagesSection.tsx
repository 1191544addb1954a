import { FileTextOutlined, SearchOutlined, SendOutlined } from '@ant-design/icons'
import { SectionNav, type Section } from '../../components/SectionNav'

const SECTIONS: Section[] = [
  { value: '/messages', label: 'Subscriptions', icon: <SendOutlined />, testId: 'messages-nav-subscriptions' },
  { value: '/messages/browse', label: 'Browse messages', icon: <SearchOutlined />, testId: 'messages-nav-browse' },
  { value: '/messages/schemas', label: 'Schemas', icon: <FileTextOutlined />, testId: 'messages-nav-schemas' },
]

/** The messages' pages share a sub-navigation: what is consumed, what is stored, how it decodes. */
export function MessagesSection() {
  return <SectionNav sections={SECTIONS} fallback="/messages" testId="messages-nav" />
}
