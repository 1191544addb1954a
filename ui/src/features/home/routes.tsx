import type { RouteObject } from 'react-router'
import { HomePage } from './HomePage'

export const routes: RouteObject[] = [{ index: true, element: <HomePage /> }]
