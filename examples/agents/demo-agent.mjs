// A scripted stand-in for a coding agent, so `npm run demo` shows the whole loop offline.
// It reads the prompt on stdin like a real agent would. First turn: it implements the goal with an
// off-by-one mistake. Later turns: it reads Sluice's feedback and fixes what the failing test names.
import { readFileSync, writeFileSync } from 'node:fs';

const prompt = readFileSync(0, 'utf8');
const pricing = 'src/pricing.js';
const source = readFileSync(pricing, 'utf8');
const sawFeedback = prompt.includes('What the checks said about the last attempt');

if (!sawFeedback) {
  writeFileSync(
    pricing,
    source.replace(
      'return quantity >= 10 ? Math.round(gross * 0.9) : gross;',
      'if (quantity > 50) return Math.round(gross * 0.8);\n  return quantity >= 10 ? Math.round(gross * 0.9) : gross;',
    ),
  );
  console.log('demo agent: added 20% off above 50 items');
} else if (prompt.includes('gives 20% off from 50 items')) {
  writeFileSync(pricing, source.replace('if (quantity > 50)', 'if (quantity >= 50)'));
  console.log('demo agent: the feedback says 50 items must count too; fixed the boundary');
} else {
  console.log('demo agent: nothing I know how to fix');
}
