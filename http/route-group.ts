import type { Hono } from 'hono';

/** A group of routes mounted under a path with app.route(): channels and features hand these to createApp. */
export interface RouteGroup {
  path: string;
  routes: Hono;
}
