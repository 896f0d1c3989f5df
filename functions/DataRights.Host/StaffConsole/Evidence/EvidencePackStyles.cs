namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>
/// The evidence pack's rules in the site stylesheet (the CSP allows no inline style): tables, hashes, and print layout
/// (A4 margins, no header or footer, sections kept together, table headers repeated on each page).
/// </summary>
public static class EvidencePackStyles
{
    public const string Css = """
        body.evidence main{max-width:60rem}
        .evidence-meta{color:#505a5f;font-size:1rem}
        .evidence-table{width:100%;border-collapse:collapse;margin:0 0 1.5rem;font-size:1rem}
        .evidence-table caption{text-align:left;font-weight:700;padding:.25rem 0}
        .evidence-table th,.evidence-table td{border-bottom:1px solid #b1b4b6;padding:.35rem .5rem .35rem 0;text-align:left;vertical-align:top}
        .evidence-table thead th{border-bottom:2px solid #0b0c0c}
        .evidence-table.timeline td:nth-child(2){white-space:nowrap}
        .evidence .hash{font-family:ui-monospace,monospace;font-size:.9rem;overflow-wrap:anywhere}
        .chain-holds{border-left:5px solid #00703c;padding-left:.75rem}
        .chain-broken{border-left:5px solid #d4351c;padding-left:.75rem;color:#d4351c}
        .evidence-source{margin-bottom:1.5rem}
        @media print{
        @page{size:A4;margin:18mm 15mm}
        body{font-size:10.5pt;color:#000;background:#fff}
        .skip-link,.site-header,.site-footer,nav,form,button,a.button{display:none!important}
        main,body.evidence main{max-width:none;margin:0;padding:0}
        a{color:#000;text-decoration:none}
        h1{font-size:18pt}h2{font-size:14pt;break-after:avoid;page-break-after:avoid}h3{font-size:12pt;break-after:avoid;page-break-after:avoid}
        .evidence-table{font-size:9pt}
        .evidence-table thead{display:table-header-group}
        .evidence-table tr,.evidence-source dl,dl.summary div{break-inside:avoid;page-break-inside:avoid}
        .chain-broken{color:#000}
        }
        """;
}
