package io.secretsstore.webhook.report;

import io.secretsstore.webhook.rules.Action;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML as CI systems read it: one {@code <testsuite>} per file, one {@code <testcase>} per
 * checked object. A failing object (deny, or warn with {@code --strict}) gets a {@code <failure>}
 * listing those findings. Other findings go to {@code <system-out>}: a warned object passed, and
 * calling it {@code skipped} would say it was not checked. A document that could not be checked
 * is a test case with an {@code <error>}. A document skipped on purpose (not a manifest, an
 * unrendered template, a kind in {@code --skip-kinds}) is a test case with {@code <skipped>}: it
 * really was not checked.
 */
public final class JunitReport implements Report {

  private final boolean strict;

  public JunitReport(boolean strict) {
    this.strict = strict;
  }

  private record Suite(
      List<CheckedObject> objects, List<InputProblem> problems, List<SkippedDocument> skipped) {}

  @Override
  public void write(CheckResult result, OutputStream out) throws IOException {
    Map<String, Suite> suites = new LinkedHashMap<>();
    for (CheckedObject o : result.objects()) {
      suite(suites, o.file()).objects().add(o);
    }
    for (InputProblem p : result.problems()) {
      suite(suites, p.file()).problems().add(p);
    }
    for (SkippedDocument s : result.skipped()) {
      suite(suites, s.file()).skipped().add(s);
    }
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", "secrets-store-webhook check");
      counts(xml, result.objects(), result.problems(), result.skipped());
      for (Map.Entry<String, Suite> e : suites.entrySet()) {
        writeSuite(xml, e.getKey(), e.getValue());
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.flush();
      xml.close(); // closes the writer only, never the stream under it
    } catch (XMLStreamException e) {
      throw new IOException("cannot write the JUnit report: " + e.getMessage(), e);
    }
    out.flush();
  }

  private static Suite suite(Map<String, Suite> suites, String file) {
    return suites.computeIfAbsent(
        file, k -> new Suite(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
  }

  private void counts(
      XMLStreamWriter xml,
      List<CheckedObject> objects,
      List<InputProblem> problems,
      List<SkippedDocument> skipped)
      throws XMLStreamException {
    long failures = objects.stream().filter(o -> CheckResult.fails(o, strict)).count();
    xml.writeAttribute(
        "tests", String.valueOf(objects.size() + problems.size() + skipped.size()));
    xml.writeAttribute("failures", String.valueOf(failures));
    xml.writeAttribute("errors", String.valueOf(problems.size()));
    xml.writeAttribute("skipped", String.valueOf(skipped.size()));
  }

  private void writeSuite(XMLStreamWriter xml, String file, Suite suite) throws XMLStreamException {
    xml.writeCharacters("\n  ");
    xml.writeStartElement("testsuite");
    xml.writeAttribute("name", clean(file));
    counts(xml, suite.objects(), suite.problems(), suite.skipped());
    for (CheckedObject o : suite.objects()) {
      xml.writeCharacters("\n    ");
      xml.writeStartElement("testcase");
      xml.writeAttribute("classname", clean(file));
      xml.writeAttribute("name", clean(o.subject().toString()));
      xml.writeAttribute("file", clean(file));
      xml.writeAttribute("line", String.valueOf(o.line()));
      List<LocatedFinding> failing = new ArrayList<>();
      List<LocatedFinding> passing = new ArrayList<>();
      for (LocatedFinding lf : o.findings()) {
        Action a = lf.finding().action();
        (a == Action.DENY || (strict && a == Action.WARN) ? failing : passing).add(lf);
      }
      if (!failing.isEmpty()) {
        xml.writeStartElement("failure");
        xml.writeAttribute("type", failing.get(0).finding().rule());
        xml.writeAttribute("message", clean(failing.get(0).finding().render()));
        xml.writeCharacters(clean(lines(file, failing)));
        xml.writeEndElement();
      }
      if (!passing.isEmpty()) {
        xml.writeStartElement("system-out");
        xml.writeCharacters(clean(lines(file, passing)));
        xml.writeEndElement();
      }
      xml.writeEndElement();
    }
    for (InputProblem p : suite.problems()) {
      startDocumentCase(xml, file, p.line(), "unreadable document");
      xml.writeStartElement("error");
      xml.writeAttribute("type", "input");
      xml.writeAttribute("message", clean(p.message()));
      xml.writeCharacters(clean(p.render()));
      xml.writeEndElement();
      xml.writeEndElement();
    }
    for (SkippedDocument s : suite.skipped()) {
      startDocumentCase(xml, file, s.line(), "skipped document");
      xml.writeEmptyElement("skipped");
      xml.writeAttribute("type", s.reason().id());
      xml.writeAttribute("message", clean(s.fullMessage()));
      xml.writeEndElement();
    }
    xml.writeCharacters("\n  ");
    xml.writeEndElement();
  }

  /** A test case for a document rather than an object: named by its file, line and {@code what}. */
  private static void startDocumentCase(XMLStreamWriter xml, String file, int line, String what)
      throws XMLStreamException {
    xml.writeCharacters("\n    ");
    xml.writeStartElement("testcase");
    xml.writeAttribute("classname", clean(file));
    xml.writeAttribute("name", clean(TextReport.location(file, line) + " " + what));
    xml.writeAttribute("file", clean(file));
    xml.writeAttribute("line", String.valueOf(line));
  }

  private static String lines(String file, List<LocatedFinding> findings) {
    StringBuilder s = new StringBuilder();
    for (LocatedFinding lf : findings) {
      s.append(TextReport.location(file, lf.line()))
          .append(' ')
          .append(lf.finding().action().id())
          .append(' ')
          .append(lf.finding().render())
          .append('\n');
    }
    return s.toString();
  }

  /**
   * Drops characters XML 1.0 cannot carry even escaped (most control characters): a YAML
   * string may hold them, and one of them would make the whole report unreadable.
   */
  static String clean(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
              || Character.isSurrogate(c) || (c >= 0xE000 && c <= 0xFFFD);
      if (!ok && out == null) {
        out = new StringBuilder(s.substring(0, i));
      }
      if (out != null && ok) {
        out.append(c);
      } else if (out != null) {
        out.append('\uFFFD');
      }
    }
    return out == null ? s : out.toString();
  }
}
