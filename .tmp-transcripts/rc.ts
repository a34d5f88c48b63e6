import { findReceiptCode } from '../knowledge/receipt-code';
import { understand } from '../knowledge/understand';
import { defaultReferrals } from '../knowledge/referrals';
import { createSearch } from '../knowledge/search';
import { loadDefaultCatalog } from '../knowledge/default-catalog';
const r = defaultReferrals(); const s = createSearch(loadDefaultCatalog(), { referrals: r.documents });
for (const t of ['tra cuu ho so', 'tra cứu hồ sơ', 'tra cuu ho so HS-2026-000123']) console.log(t, findReceiptCode(t), JSON.stringify(await understand(t, null, { search: (q) => s.search(q), referrals: r })).slice(0, 150));
