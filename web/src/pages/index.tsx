// Which page a route shows.

import type { Route } from '../router.js';
import { Admin } from './Admin.js';
import { Backtests } from './Backtests.js';
import { Markets } from './Markets.js';
import { Optimization } from './Optimization.js';
import { Orders } from './Orders.js';
import { Overview } from './Overview.js';
import { Risk } from './Risk.js';
import { Strategies } from './Strategies.js';

export function Page(props: { route: Route }) {
  switch (props.route.path) {
    case 'overview':
      return <Overview />;
    case 'backtests':
      return <Backtests />;
    case 'markets':
      return <Markets route={props.route} />;
    case 'orders':
      return <Orders />;
    case 'strategies':
      return <Strategies />;
    case 'risk':
      return <Risk />;
    case 'admin':
      return <Admin />;
    case 'optimization':
      return <Optimization />;
  }
}
