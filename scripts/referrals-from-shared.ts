/**
 * Rebuilds knowledge/data/referrals.json from the curated shared table of services the commune
 * office does not handle (`npx tsx scripts/referrals-from-shared.ts ../shared/catalog/referrals.json`).
 * Each row keeps its authority, online channel and sources as written; we add an id, an English
 * topic, a few everyday keywords of our own and the portal's address where the row names one.
 * Rows the shipped catalog answers itself are left out (see SKIPPED), so a citizen asking about
 * them gets the catalog's card, not a referral.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { type Referral, referralSchema } from '../knowledge/referrals';

const shared = z.array(
  z.object({
    topic: z.string(),
    phrasings: z.array(z.string()),
    authority: z.string(),
    authority_en: z.string(),
    online: z.string().nullable(),
    handled_at_commune: z.union([z.literal(false), z.literal('partly')]),
    note: z.string().nullable().default(''),
    sources: z.array(z.object({ url: z.string(), title: z.string(), date: z.string().nullable().default('') })),
    status: z.enum(['confirmed', 'unconfirmed']),
  }),
);

/** Topics (by the start of their name) the catalog answers: thẻ căn cước, sổ đỏ changes, lost sổ đỏ. */
const SKIPPED = ['Thẻ căn cước', 'Sang tên sổ đỏ', 'Tách thửa'];

/**
 * Our id, English topic and extra keywords per topic, keyed by the start of the shared topic.
 * `ownWordsOnly` drops the source's phrasings where they are also the words of a procedure the
 * office does handle ("đăng ký khai tử" of a death abroad): only the words that tell them apart stay.
 */
const OURS: Record<string, { id: string; topicEn: string; keywords: string[]; ownWordsOnly?: true }> = {
  'Hộ chiếu phổ thông': {
    id: 'passport',
    topicEn: 'Passport (new or renewal)',
    keywords: [
      'hộ chiếu',
      'làm hộ chiếu',
      'passport',
      'apply for a passport',
      'làm hộ chiếu cho con',
      'passport cho con',
      'hộ chiếu cho trẻ em',
      'passport for my child',
    ],
  },
  'Mất hộ chiếu': { id: 'passport_lost', topicEn: 'Lost passport', keywords: ['mất hộ chiếu', 'lost passport', 'passport stolen'] },
  'Đăng ký xe lần đầu': {
    id: 'vehicle_registration',
    topicEn: 'Vehicle registration and number plates',
    keywords: [
      'đăng ký xe',
      'biển số xe',
      'cà vẹt xe',
      'register a motorbike',
      'number plate',
      'register a new motorbike or scooter',
      'đăng ký xe điện mới mua',
    ],
  },
  'Sang tên xe': {
    id: 'vehicle_transfer',
    topicEn: 'Transferring a vehicle to a new owner',
    keywords: [
      'sang tên xe',
      'bán xe',
      'mua xe cũ',
      'rút hồ sơ gốc xe',
      'transfer a motorbike',
      'transfer a car into my name',
      'sold my motorbike',
      'bought a used car',
    ],
  },
  'Giấy phép lái xe: đổi': {
    id: 'driving_licence_renewal',
    topicEn: 'Renewing or replacing a driving licence',
    keywords: [
      'đổi bằng lái',
      'cấp lại bằng lái',
      'mất bằng lái',
      'mất bằng lái xe máy',
      'bằng lái xe hết hạn',
      'renew driving licence',
      'lost my driving licence',
      'lost my motorbike licence',
    ],
  },
  'Học, thi sát hạch': {
    id: 'driving_licence_first',
    topicEn: 'A first driving licence (lessons and test)',
    keywords: ['thi bằng lái', 'học bằng lái', 'thi bằng lái xe máy', 'driving test', 'driving lessons', 'học lái xe'],
  },
  'Giấy phép lái xe quốc tế': {
    id: 'driving_licence_international',
    topicEn: 'International driving permit',
    keywords: ['bằng lái quốc tế', 'international driving permit'],
  },
  'Phiếu lý lịch tư pháp': {
    id: 'criminal_record',
    topicEn: 'Criminal record certificate',
    keywords: ['lý lịch tư pháp', 'lý lịch tư pháp số 1', 'criminal record certificate', 'police clearance', 'judicial record certificate'],
  },
  'Quyết toán thuế thu nhập cá nhân': {
    id: 'income_tax',
    topicEn: 'Personal income tax settlement and refund',
    keywords: ['quyết toán thuế', 'hoàn thuế', 'thuế thu nhập cá nhân', 'tax refund', 'income tax return'],
  },
  'Mã số thuế cá nhân': {
    id: 'tax_code',
    topicEn: 'Personal tax code and dependants',
    keywords: ['mã số thuế', 'người phụ thuộc', 'giảm trừ gia cảnh', 'tax code', 'tax identification number', 'dependant for tax', 'register a dependant'],
  },
  'Thành lập doanh nghiệp': {
    id: 'company',
    topicEn: 'Setting up a company',
    keywords: [
      'thành lập công ty',
      'mở công ty',
      'đăng ký doanh nghiệp',
      'set up a company',
      'register a company',
      'open a company',
      'foreign invested company',
    ],
  },
  'Sổ BHXH': {
    id: 'social_insurance_book',
    topicEn: 'Social insurance book',
    keywords: ['sổ bảo hiểm xã hội', 'gộp sổ bảo hiểm', 'cấp lại sổ bảo hiểm', 'social insurance book'],
  },
  'Rút BHXH một lần': {
    id: 'social_insurance_withdrawal',
    topicEn: 'One-off social insurance withdrawal',
    keywords: ['rút bảo hiểm xã hội', 'rút bảo hiểm một lần', 'withdraw social insurance'],
  },
  'Thẻ BHYT cho người lao động': {
    id: 'health_insurance_card',
    topicEn: 'Health insurance card through an employer, or a replacement',
    keywords: [
      'thẻ bảo hiểm y tế',
      'cấp lại thẻ bảo hiểm y tế',
      'đổi thẻ bảo hiểm y tế',
      'health insurance card',
      'thẻ bảo hiểm y tế công ty cấp bị mất',
      'employer health insurance card',
      'change the hospital on my health insurance card',
    ],
  },
  'Trợ cấp thất nghiệp': {
    id: 'unemployment_benefit',
    topicEn: 'Unemployment benefit',
    keywords: ['trợ cấp thất nghiệp', 'bảo hiểm thất nghiệp', 'unemployment benefit'],
  },
  'Ly hôn': {
    id: 'divorce',
    topicEn: 'Divorce',
    keywords: ['ly hôn', 'ly dị', 'thuận tình ly hôn', 'đơn phương ly hôn', 'divorce', 'vợ chồng muốn ly hôn', 'vợ chồng ly hôn nộp đơn ở tòa'],
  },
  'Tranh chấp thừa kế': {
    id: 'civil_dispute',
    topicEn: 'Civil disputes and lawsuits',
    keywords: ['kiện', 'khởi kiện', 'tranh chấp đất', 'tranh chấp thừa kế', 'sue', 'lawsuit'],
  },
  'Công chứng hợp đồng': {
    id: 'notary',
    topicEn: 'Notarising contracts (notary offices)',
    keywords: [
      'văn phòng công chứng',
      'công chứng hợp đồng mua bán nhà',
      'notary',
      'notarise a sales contract',
      'công chứng tại văn phòng công chứng',
      'công chứng hợp đồng ở văn phòng công chứng',
      'notary office',
    ],
  },
  'Khai nhận, phân chia di sản': {
    id: 'inheritance',
    topicEn: 'Declaring and dividing an inheritance',
    // The source's phrasings include the catalog's own procedures (từ chối nhận di sản 2.001016,
    // văn bản thỏa thuận phân chia di sản 2.001406): only the words of the notary's part stay.
    keywords: ['khai nhận di sản', 'làm thủ tục khai nhận di sản thừa kế', 'thừa kế', 'chia thừa kế', 'inheritance', 'khai nhận di sản ở văn phòng công chứng'],
    ownWordsOnly: true,
  },
  'Hợp pháp hóa lãnh sự': {
    id: 'legalisation',
    topicEn: 'Consular legalisation of documents',
    keywords: ['hợp pháp hóa lãnh sự', 'chứng nhận lãnh sự', 'legalisation', 'apostille'],
  },
  'Quốc tịch': {
    id: 'nationality',
    topicEn: 'Vietnamese nationality',
    keywords: ['quốc tịch', 'nhập quốc tịch', 'thôi quốc tịch', 'nationality', 'citizenship', 'become a vietnamese citizen', 'vietnamese citizenship'],
  },
  'Giấy phép lao động': { id: 'work_permit', topicEn: 'Work permit for a foreign employee', keywords: ['giấy phép lao động', 'work permit'] },
  'Người nước ngoài: thẻ tạm trú': {
    id: 'foreigner_residence',
    topicEn: "A foreigner's temporary residence card or visa in Vietnam",
    keywords: [
      'thẻ tạm trú',
      'thẻ tạm trú người nước ngoài',
      'gia hạn visa',
      'gia hạn thị thực',
      'temporary residence card',
      'visa extension',
      'làm thẻ tạm trú cho vợ người nước ngoài',
      'thẻ tạm trú cho chồng người nước ngoài',
      'visa hết hạn gia hạn',
      'extend my visa',
      'visa expiring',
    ],
  },
  'Khai báo tạm trú cho người nước ngoài': {
    id: 'foreigner_stay_declaration',
    topicEn: 'Declaring a foreign guest’s stay',
    keywords: [
      'khai báo tạm trú cho người nước ngoài',
      'khách nước ngoài ở nhà',
      'foreign guest registration',
      'declare a foreigner staying',
      'foreign tenant',
      'rent a room to a foreigner',
      "declare a foreigner's stay with the police",
      'người nước ngoài đăng ký tạm trú',
      'đăng ký tạm trú cho người nước ngoài',
      'register a foreigner’s temporary residence',
    ],
  },
  'Thị thực điện tử': { id: 'evisa', topicEn: 'E-visa for Vietnam', keywords: ['e-visa', 'evisa', 'visa điện tử', 'xin visa vào việt nam'] },
  'Khai sinh, kết hôn, khai tử cho công dân Việt Nam ở nước ngoài': {
    id: 'civil_status_abroad',
    topicEn: 'Civil status registration for Vietnamese citizens abroad',
    keywords: [
      'đại sứ quán',
      'lãnh sự quán',
      'khai sinh tại đại sứ quán',
      'kết hôn tại đại sứ quán',
      'mất ở nước ngoài',
      'chết ở nước ngoài',
      'embassy',
      'consulate',
      'abroad',
      'died abroad register the death',
      'register a birth at the vietnamese embassy',
      'khai tử cho người mất ở nước ngoài',
      'khai sinh cho con sinh ở nước ngoài tại đại sứ quán',
    ],
    ownWordsOnly: true,
  },
  'Giấy phép xây dựng công trình cấp đặc biệt': {
    id: 'building_permit_large',
    topicEn: 'Building permits for large works',
    keywords: [
      'giấy phép xây dựng công trình cấp i',
      'giấy phép xây dựng công trình cấp ii',
      'giấy phép xây dựng công trình lớn',
      'giấy phép xây dựng nhà xưởng',
      'building permit for a factory',
    ],
  },
  'Đăng ký nghĩa vụ quân sự': {
    id: 'military_service',
    topicEn: 'Military service registration',
    keywords: ['nghĩa vụ quân sự', 'đi nghĩa vụ', 'khám nghĩa vụ', 'military service'],
  },
  'Cấp điện mới': {
    id: 'electricity',
    topicEn: 'Electricity connection and meter',
    keywords: [
      'lắp điện',
      'công tơ điện',
      'đồng hồ điện',
      'hợp đồng điện',
      'electricity connection',
      'sang tên hợp đồng mua bán điện',
      'move the electricity contract into my name',
    ],
  },
  'Lắp đặt nước sạch': {
    id: 'water',
    topicEn: 'Water connection',
    keywords: [
      'lắp nước',
      'đồng hồ nước',
      'nước máy',
      'water connection',
      'water meter',
      'register a water meter',
      'đăng ký lắp đồng hồ nước',
      'connect clean water',
      'nước sạch',
    ],
  },
  'Chuyển trường tiểu học': {
    id: 'school_transfer',
    topicEn: 'Moving a child to another primary or lower-secondary school',
    keywords: ['chuyển trường', 'chuyển trường cho con', 'xin học', 'school transfer'],
  },
  'Chuyển trường THPT': {
    id: 'high_school_transfer',
    topicEn: 'Moving to another upper-secondary school',
    keywords: ['chuyển trường cấp 3', 'chuyển trường thpt', 'high school transfer'],
  },
};

/**
 * The first government portal (.gov.vn) the row's online channel names, as an https link. Other
 * addresses there are examples for one region (an electricity company's), not a link for everyone.
 */
function portalOf(online: string): string | null {
  const host = /\b((?:[a-z0-9-]+\.)+gov\.vn)\b/i.exec(online)?.[1];
  return host ? `https://${host.toLowerCase()}` : null;
}

const [input, output = 'knowledge/data/referrals.json'] = process.argv.slice(2);
if (!input) {
  process.stderr.write('usage: npx tsx scripts/referrals-from-shared.ts ../shared/catalog/referrals.json [output]\n');
  process.exit(2);
}

const rows = shared.parse(JSON.parse(readFileSync(input, 'utf8')));
const referrals: Referral[] = [];
for (const row of rows) {
  if (SKIPPED.some((start) => row.topic.startsWith(start))) continue;
  const key = Object.keys(OURS).find((start) => row.topic.startsWith(start));
  if (!key) throw new Error(`no id for the topic "${row.topic}": add it to OURS or SKIPPED`);
  const ours = OURS[key] as (typeof OURS)[string];
  referrals.push(
    referralSchema.parse({
      id: ours.id,
      topic: row.topic,
      topicEn: ours.topicEn,
      keywords: [...new Set([...(ours.ownWordsOnly ? [] : row.phrasings), ...ours.keywords])],
      authority: row.authority,
      authorityEn: row.authority_en,
      online: row.online ?? '',
      portal: portalOf(row.online ?? ''),
      handledAtCommune: row.handled_at_commune === 'partly' ? 'partly' : 'no',
      confirmed: row.status === 'confirmed',
      note: row.note ?? '',
      sources: row.sources.map((s) => ({ url: s.url, title: s.title, date: s.date ?? '' })),
    }),
  );
}
writeFileSync(output, `${JSON.stringify(referrals, null, 2)}\n`);
process.stdout.write(`${referrals.length} referrals written to ${output} (${rows.length - referrals.length} answered by the catalog)\n`);
