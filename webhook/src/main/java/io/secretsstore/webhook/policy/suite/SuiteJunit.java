package io.secretsstore.webhook.policy.suite;

import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The {@code test} command's results as JUnit XML: one {@code <testsuite>} per suite, one {@code
 * <testcase>} per expected result (named {@code resource rule}), a {@code <failure>} for a
 * mismatch, and one {@code <testsuite>} with an {@code <error>} per suite that could not run.
 */
public final class SuiteJunit {

  private SuiteJunit() {}

  public static void write(List<SuiteRunner.Result> results, List<String> broken, OutputStream out) {
    Map<String, List<SuiteRunner.Result>> bySuite = new LinkedHashMap<>();
    for (SuiteRunner.Result r : results) {
      bySuite.computeIfAbsent(r.suite().name(), k -> new java.util.ArrayList<>()).add(r);
    }
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", "secrets-store-webhook test");
      xml.writeAttribute("tests", String.valueOf(results.size() + broken.size()));
      xml.writeAttribute("failures", String.valueOf(results.stream().filter(r -> !r.ok()).count()));
      xml.writeAttribute("errors", String.valueOf(broken.size()));
      for (Map.Entry<String, List<SuiteRunner.Result>> e : bySuite.entrySet()) {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", e.getKey());
        xml.writeAttribute("tests", String.valueOf(e.getValue().size()));
        xml.writeAttribute("failures",
            String.valueOf(e.getValue().stream().filter(r -> !r.ok()).count()));
        for (SuiteRunner.Result r : e.getValue()) {
          xml.writeCharacters("\n    ");
          xml.writeStartElement("testcase");
          xml.writeAttribute("classname", e.getKey());
          xml.writeAttribute("name", r.expected().resource() + " " + r.expected().rule() + " "
              + r.expected().result().id());
          xml.writeAttribute("file", r.suite().file().toString());
          xml.writeAttribute("line", String.valueOf(r.expected().line()));
          if (!r.ok()) {
            xml.writeStartElement("failure");
            xml.writeAttribute("message", r.detail());
            xml.writeCharacters(r.suite().file() + ":" + r.expected().line() + ": " + r.detail());
            xml.writeEndElement();
          }
          xml.writeEndElement();
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
      }
      for (String b : broken) {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", "broken suite");
        xml.writeAttribute("tests", "1");
        xml.writeAttribute("errors", "1");
        xml.writeStartElement("testcase");
        xml.writeAttribute("name", b.lines().findFirst().orElse(b));
        xml.writeStartElement("error");
        xml.writeAttribute("message", b);
        xml.writeCharacters(b);
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.flush();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing JUnit XML: " + e.getMessage(), e);
    }
  }
}
