// Renders one proof in a process of its own, for the determinism test: reads ProofFacts as JSON
// from the first argument's file and writes the PDF to the second.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderProofPdf } from '../proofPdf';
import { loadReceiptFont } from '../receiptFont';

const [factsFile, pdfFile] = process.argv.slice(2);
if (!factsFile || !pdfFile) throw new Error('usage: renderChild.ts FACTS.json OUT.pdf');
writeFileSync(pdfFile, await renderProofPdf(JSON.parse(readFileSync(factsFile, 'utf8')), loadReceiptFont()));
