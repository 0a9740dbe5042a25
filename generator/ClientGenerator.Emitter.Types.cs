using System.Globalization;
using System.Linq;
using TinyFish.Toolkit.Generator.Helpers;
using TinyFish.Toolkit.Generator.Model;

namespace TinyFish.Toolkit.Generator;

public sealed partial class ClientGenerator
{
    internal static partial class Emitter
    {
        private const string Matcher = "global::TinyFish.Toolkit.Runtime.Json.JsonPropertyMatcher";

        private static string EmitType(ClientModel client, TypeModel type, SourceWriter json)
        {
            var w = Begin();
            w.Line("namespace " + client.Namespace + ";");
            w.Line();
            switch (type)
            {
                case ObjectModel model:
                    EmitObject(w, json, client, model);
                    break;
                case EnumModel model:
                    EmitEnum(w, json, client, model);
                    break;
                case UnionModel model:
                    EmitUnion(w, json, client, model);
                    break;
                case KindUnionModel model:
                    EmitKindUnion(w, json, client, model);
                    break;
                case SuccessResultModel model:
                    EmitSuccessResult(w, client, model);
                    break;
            }
            return w.Complete();
        }

        // ---- Success results -------------------------------------------------------------------

        /// <summary>An abstract record with one nested record per success status; the operation's method builds them.</summary>
        private static void EmitSuccessResult(SourceWriter w, ClientModel client, SuccessResultModel model)
        {
            w.Line("/// <summary>What <c>" + Escape(model.OperationId) + "</c> answers: one record per success status; <c>StatusCode</c> says which.</summary>");
            w.Line("/// <param name=\"StatusCode\">The HTTP status the API answered with.</param>");
            using (w.Block("public abstract record " + model.Name + "(int StatusCode)"))
            {
                foreach (var variant in model.Variants)
                {
                    w.Line("/// <summary>" + variant.StatusCode.ToString(CultureInfo.InvariantCulture) + (variant.Description is null ? "" : ": " + Escape(OneLine(variant.Description))) + "</summary>");
                    if (variant.Body is { } body)
                    {
                        w.Line("/// <param name=\"Body\">The response body.</param>");
                        w.Line("public sealed record " + variant.CSharpName + "(" + CSharpType(client.Namespace, body) + " Body) : " + model.Name + "(" + variant.StatusCode.ToString(CultureInfo.InvariantCulture) + ");");
                    }
                    else
                    {
                        w.Line("public sealed record " + variant.CSharpName + "() : " + model.Name + "(" + variant.StatusCode.ToString(CultureInfo.InvariantCulture) + ");");
                    }
                }
            }
        }

        /// <summary>
        /// Every generated type names its client's one converter factory (see <see cref="EmitConverterFactory"/>):
        /// one attribute per type and one line in the factory cost the compiler less than a converter class or
        /// interface members per type.
        /// </summary>
        private static string ConverterAttribute(ClientModel client) =>
            "[global::System.Text.Json.Serialization.JsonConverter(typeof(" + JsonClass(client) + "." + ConverterFactoryName + "))]";

        private const string ConverterFactoryName = "Converter";

        /// <summary>
        /// The client's converter factory, nested in the JSON class: a chain of <c>typeof</c> tests from each type
        /// with a reader and writer to a <c>JsonModelConverter</c> over them, the shape of System.Text.Json's own
        /// <c>JsonSerializerContext.GetTypeInfo</c>. No reflection, so trimming and Native AOT keep working.
        /// </summary>
        private static void EmitConverterFactory(SourceWriter json, ClientModel client)
        {
            if (!json.AtBlockStart) json.Line();
            Doc(json, "summary", "Gives System.Text.Json the generated reader and writer of each type; the types name it in their JsonConverter attribute.");
            using (json.Block("internal sealed class " + ConverterFactoryName + " : global::TinyFish.Toolkit.Runtime.Json.JsonModelConverterFactory"))
            {
                json.Line("/// <inheritdoc/>");
                using (json.Block("protected override global::System.Text.Json.Serialization.JsonConverter? Create(global::System.Type typeToConvert)"))
                {
                    foreach (var type in client.Types)
                    {
                        if (type is SuccessResultModel) continue;
                        var full = "global::" + client.Namespace + "." + type.Name;
                        json.Line("if (typeToConvert == typeof(" + full + ")) return new global::TinyFish.Toolkit.Runtime.Json.JsonModelConverter<" + full + ">(Read" + type.Name + ", Write" + type.Name + ");");
                    }
                    json.Line("return null;");
                }
            }
        }

        /// <summary>Writes a type's reader and writer into the one JSON class part (see <see cref="EmitAll"/>).</summary>
        private static void JsonSection(SourceWriter json, System.Action<SourceWriter> body)
        {
            if (!json.AtBlockStart) json.Line();
            body(json);
        }

        // ---- Objects ----------------------------------------------------------------------------

        private static void EmitObject(SourceWriter w, SourceWriter json, ClientModel client, ObjectModel model)
        {
            var ns = client.Namespace;
            TypeDocs(w, model.Description, model.Example, "The " + model.Name + " object.");
            w.Line(GeneratedCode);
            w.Line(ConverterAttribute(client));
            var declaration = "public sealed partial record " + model.Name + (model.BaseName is null ? "" : " : global::" + ns + "." + model.BaseName);
            using (w.Block(declaration))
            {
                if (model.BaseName is not null)
                {
                    w.Line("/// <inheritdoc/>");
                    w.Line("public override string " + model.DiscriminatorCSharpName + " => " + Emitter.Literal(model.DiscriminatorValue!) + ";");
                    w.Line();
                }
                foreach (var property in model.Properties)
                {
                    if (property.Description is null) w.Line("/// <summary>The <c>" + Escape(property.JsonName) + "</c> property.</summary>");
                    else Doc(w, "summary", property.Description);
                    // C# forbids [Obsolete] on a required member (CS9042): a required deprecated property says so in its remarks only.
                    var obsolete = property.Deprecated && !property.Required;
                    var remarks = "JSON name <c>" + Escape(property.JsonName) + "</c>" + (property.Required ? ", required" : ", optional") + (property.Type.Nullable ? ", may be null" : "") + "."
                        + (property.Deprecated && !obsolete ? " Deprecated by the API." : "")
                        + (property.Example is null ? "" : " Example: <c>" + Escape(property.Example) + "</c>.");
                    w.Line("/// <remarks>" + remarks + "</remarks>");
                    if (obsolete) w.Line("[global::System.Obsolete(" + Emitter.Literal(property.Description is null ? "The API marks this property as deprecated." : OneLine(property.Description)) + ")]");
                    var type = CSharpType(ns, property.Type, nullable: property.Type.Nullable || !property.Required);
                    w.Line("public " + (property.Required ? "required " : "") + type + " " + property.CSharpName + " { get; init; }");
                    w.Line();
                }
                Doc(w, "summary", "JSON properties the spec does not declare, kept as raw JSON so they are written back unchanged; null when there are none.");
                w.Line("public global::TinyFish.Toolkit.Runtime.Json.JsonUnknownProperties? AdditionalProperties { get; init; }");
            }

            JsonSection(json, w =>
            {
                var names = model.Properties.Select(p => Emitter.Literal(p.JsonName)).ToList();
                if (model.DiscriminatorJsonName is not null) names.Add(Emitter.Literal(model.DiscriminatorJsonName));
                w.Line("private static readonly " + Matcher + " " + model.Name + "Properties = new(" + string.Join(", ", names) + ");");
                w.Line();
                w.Line("/// <summary>Reads a <see cref=\"global::" + ns + "." + model.Name + "\"/> from the reader's current object.</summary>");
                using (w.Block("internal static global::" + ns + "." + model.Name + " Read" + model.Name + "(ref " + Reader + " reader)"))
                {
                    w.Line(Primitives + ".ReadStartObject(ref reader, " + Emitter.Literal(model.Name) + ");");
                    for (var i = 0; i < model.Properties.Count; i++)
                    {
                        w.Line(CSharpType(ns, model.Properties[i].Type, nullable: true) + " p" + Index(i) + " = default;");
                    }
                    w.Line("global::TinyFish.Toolkit.Runtime.Json.JsonUnknownProperties.Builder unknown = default;");
                    // A null value leaves the property's local at its default: NextNonNullProperty steps over it, so no case checks for it.
                    using (w.Block("while (" + Primitives + ".NextNonNullProperty(ref reader, " + model.Name + "Properties, out var index, out var name))"))
                    {
                        using (w.Block("switch (index)"))
                        {
                            for (var i = 0; i < model.Properties.Count; i++)
                            {
                                w.Line("case " + Index(i) + ":");
                                using (w.Indent())
                                {
                                    w.Line("p" + Index(i) + " = " + ReadCall(client, model.Properties[i].Type.WithNullable(false), "reader", 0) + ";");
                                    w.Line("break;");
                                }
                            }
                            if (model.DiscriminatorJsonName is not null)
                            {
                                w.Line("case " + Index(model.Properties.Count) + ":");
                                using (w.Indent())
                                {
                                    w.Line("reader.Skip();");
                                    w.Line("break;");
                                }
                            }
                            w.Line("default:");
                            using (w.Indent())
                            {
                                w.Line(Primitives + ".AddUnknown(ref unknown, name, ref reader);");
                                w.Line("break;");
                            }
                        }
                    }
                    w.Line("return new global::" + ns + "." + model.Name);
                    using (w.Block(close: "};"))
                    {
                        for (var i = 0; i < model.Properties.Count; i++)
                        {
                            var property = model.Properties[i];
                            var value = "p" + Index(i);
                            if (property.Required && !property.Type.Nullable)
                            {
                                value += " ?? throw " + Primitives + ".MissingProperty(" + Emitter.Literal(model.Name) + ", " + Emitter.Literal(property.JsonName) + ")";
                            }
                            w.Line(property.CSharpName + " = " + value + ",");
                        }
                        w.Line("AdditionalProperties = unknown.Build(),");
                    }
                }
                w.Line();
                w.Line("/// <summary>Writes a <see cref=\"global::" + ns + "." + model.Name + "\"/> as a JSON object.</summary>");
                using (w.Block("internal static void Write" + model.Name + "(" + Writer + " writer, global::" + ns + "." + model.Name + " value)"))
                {
                    w.Line("writer.WriteStartObject();");
                    if (model.DiscriminatorJsonName is not null)
                    {
                        w.Line("writer.WriteString(" + Emitter.Literal(model.DiscriminatorJsonName) + ", " + Emitter.Literal(model.DiscriminatorValue!) + ");");
                    }
                    for (var i = 0; i < model.Properties.Count; i++)
                    {
                        var property = model.Properties[i];
                        var mayBeNull = property.Type.Nullable || !property.Required;
                        var name = "writer.WritePropertyName(" + Emitter.Literal(property.JsonName) + ");";
                        if (!mayBeNull)
                        {
                            w.Line(name);
                            w.Line(WriteCall(client, property.Type, "writer", "value." + property.CSharpName, 0) + ";");
                        }
                        else
                        {
                            var local = "p" + Index(i);
                            using (w.Block("if (value." + property.CSharpName + " is { } " + local + ")"))
                            {
                                w.Line(name);
                                w.Line(WriteCall(client, property.Type.WithNullable(false), "writer", local, 0) + ";");
                            }
                            if (property.Required)
                            {
                                // Required but null: the property is still sent, as null.
                                using (w.Block("else"))
                                {
                                    w.Line(name);
                                    w.Line("writer.WriteNullValue();");
                                }
                            }
                        }
                    }
                    w.Line(Primitives + ".WriteUnknown(writer, value.AdditionalProperties);");
                    w.Line("writer.WriteEndObject();");
                }
            });
        }

        private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

        private static void TypeDocs(SourceWriter w, string? description, string? example, string fallback)
        {
            Doc(w, "summary", description ?? fallback);
            if (example is not null) w.Line("/// <example><c>" + Escape(example) + "</c></example>");
        }

        // ---- Enums ------------------------------------------------------------------------------

        private static void EmitEnum(SourceWriter w, SourceWriter json, ClientModel client, EnumModel model)
        {
            var ns = client.Namespace;
            var full = "global::" + ns + "." + model.Name;
            TypeDocs(w, model.Description, null, "The values of " + model.Name + ".");
            w.Line("/// <remarks>An open enum: a value the spec does not list is kept as it is and written back unchanged.</remarks>");
            w.Line("/// <param name=\"Value\">The value as sent on the wire.</param>");
            w.Line(GeneratedCode);
            w.Line(ConverterAttribute(client));
            using (w.Block("public readonly partial record struct " + model.Name + "(string Value)"))
            {
                foreach (var member in model.Members)
                {
                    w.Line("/// <summary><c>" + Escape(member.Value) + "</c></summary>");
                    w.Line("public static " + full + " " + member.CSharpName + " { get; } = new(" + Emitter.Literal(member.Value) + ");");
                    w.Line();
                }
                Doc(w, "summary", "Whether the value is one the spec lists.");
                w.Line("public bool IsKnown => Value is " + (model.Members.IsEmpty ? "null" : string.Join(" or ", model.Members.Select(m => Emitter.Literal(m.Value)))) + ";");
                w.Line();
                Doc(w, "summary", "The value as sent on the wire.");
                w.Line("public override string ToString() => Value ?? \"\";");
            }
            JsonSection(json, w =>
            {
                w.Line("/// <summary>Reads a <see cref=\"" + full + "\"/>; any string is accepted.</summary>");
                w.Line("internal static " + full + " Read" + model.Name + "(ref " + Reader + " reader) => new(" + Primitives + ".ReadString(ref reader));");
                w.Line();
                w.Line("/// <summary>Writes a <see cref=\"" + full + "\"/> as its string value.</summary>");
                w.Line("internal static void Write" + model.Name + "(" + Writer + " writer, " + full + " value) => writer.WriteStringValue(value.Value);");
            });
        }

        // ---- Unions -----------------------------------------------------------------------------

        private static void EmitUnion(SourceWriter w, SourceWriter json, ClientModel client, UnionModel model)
        {
            var ns = client.Namespace;
            var full = "global::" + ns + "." + model.Name;
            var unknown = "global::" + ns + "." + model.UnknownName;
            using (BeginUnion(w, client, model.Name, model.Description, "One of several kinds, told apart by '" + model.DiscriminatorJsonName + "'.",
                "The variants: " + string.Join(", ", model.Variants.Select(v => "<see cref=\"global::" + ns + "." + v.TypeName + "\"/> (<c>" + Escape(v.Value) + "</c>)")),
                "a kind the spec does not list is read as <see cref=\"" + unknown + "\"/>, which keeps the raw JSON."))
            {
                w.Line();
                w.Line("/// <summary>The <c>" + Escape(model.DiscriminatorJsonName) + "</c> value that says which kind this is.</summary>");
                w.Line("public abstract string " + model.DiscriminatorCSharpName + " { get; }");
            }
            w.Line();
            Doc(w, "summary", "A kind of " + model.Name + " the spec does not list, kept as the JSON it came as.");
            w.Line(GeneratedCode);
            using (w.Block("public sealed partial record " + model.UnknownName + " : " + full))
            {
                Doc(w, "summary", "Creates the unknown variant.");
                w.Line("/// <param name=\"discriminator\">The <c>" + Escape(model.DiscriminatorJsonName) + "</c> value, or null when the JSON has none.</param>");
                w.Line("/// <param name=\"json\">The whole JSON object.</param>");
                using (w.Block("public " + model.UnknownName + "(string? discriminator, " + Element + " json)"))
                {
                    w.Line("Discriminator = discriminator;");
                    w.Line("Json = json;");
                }
                w.Line();
                Doc(w, "summary", "The discriminator value as received, or null when the JSON has none.");
                w.Line("public string? Discriminator { get; }");
                w.Line();
                w.Line("/// <inheritdoc/>");
                w.Line("public override string " + model.DiscriminatorCSharpName + " => Discriminator ?? \"\";");
                w.Line();
                Doc(w, "summary", "The JSON object as received; written back unchanged.");
                w.Line("public " + Element + " Json { get; }");
            }
            JsonSection(json, w =>
            {
                w.Line("/// <summary>Reads the variant that the <c>" + Escape(model.DiscriminatorJsonName) + "</c> property names.</summary>");
                using (w.Block("internal static " + full + " Read" + model.Name + "(ref " + Reader + " reader)"))
                {
                    w.Line("var discriminator = " + Primitives + ".PeekString(reader, " + Emitter.Literal(model.DiscriminatorJsonName) + ");");
                    using (w.Block("switch (discriminator)"))
                    {
                        EmitDiscriminatorCases(w, model.Name + "VariantKeys",
                            model.Variants.GroupBy(v => v.Value, System.StringComparer.Ordinal).Select(group => (group.Key,
                                group.GroupBy(v => v.TypeName, System.StringComparer.Ordinal).Select(t => (t.First().RequiredMask, "return Read" + t.Key + "(ref reader);")).ToList())),
                            "return new " + unknown + "(discriminator, " + Primitives + ".ReadJsonElement(ref reader));");
                    }
                }
                if (!model.RequiredNames.IsEmpty) EmitVariantKeys(w, model.Name, model.RequiredNames);
                w.Line();
                w.Line("/// <summary>Writes whichever variant <paramref name=\"value\"/> is.</summary>");
                using (w.Block("internal static void Write" + model.Name + "(" + Writer + " writer, " + full + " value)"))
                {
                    using (w.Block("switch (value)"))
                    {
                        foreach (var typeName in model.Variants.Select(v => v.TypeName).Distinct())
                        {
                            w.Line("case global::" + ns + "." + typeName + " variant:");
                            using (w.Indent())
                            {
                                w.Line("Write" + typeName + "(writer, variant);");
                                w.Line("break;");
                            }
                        }
                        WriteUnknownAndDefault(w, unknown, model.Name);
                    }
                }
            });
        }

        // ---- Unions chosen by JSON kind ---------------------------------------------------------

        private static void EmitKindUnion(SourceWriter w, SourceWriter json, ClientModel client, KindUnionModel model)
        {
            var ns = client.Namespace;
            var full = "global::" + ns + "." + model.Name;
            var byDiscriminator = model.DiscriminatorJsonName is not null;
            var byRequired = !model.RequiredNames.IsEmpty || byDiscriminator;
            var byItems = model.Variants.Any(v => v.ItemKind is not null);
            using (BeginUnion(w, client, model.Name, model.Description, byDiscriminator ? "One of several kinds, told apart by '" + model.DiscriminatorJsonName + "'." : "One of several kinds of JSON value.",
                (byDiscriminator ? "The <c>" + Escape(model.DiscriminatorJsonName!) + "</c> property chooses"
                    : "The kind of the JSON value chooses" + (byRequired ? ", and for an object the first variant whose required properties it all has" : "")
                        + (model.Variants.Any(v => v.TellingMask != 0) ? " and, for one that lists properties it has, one of those and none that only another variant declares" : "")) + ": "
                    + string.Join(", ", model.Variants.Select(v => "<see cref=\"" + full + "." + v.CSharpName + "\"/> (" + KindText(v) + RequiredText(model, v) + ")")),
                "a value no variant takes is read as <see cref=\"" + full + ".Unknown\"/>, which keeps it as it came and writes it back unchanged."))
            {
                var converted = new System.Collections.Generic.HashSet<string>(System.StringComparer.Ordinal);
                foreach (var variant in model.Variants)
                {
                    var type = CSharpType(ns, variant.Type);
                    w.Line();
                    w.Line(model.DiscriminatorJsonName is { } discriminator
                        ? "/// <summary>The value when <c>" + Escape(discriminator) + "</c> is " + RequiredText(model, variant).Substring(2) + ".</summary>"
                        : "/// <summary>The value when it is a JSON " + KindText(variant) + (RequiredText(model, variant) is { Length: > 0 } required ? " (" + required.Substring(2) + ")" : "") + ".</summary>");
                    w.Line("/// <param name=\"Value\">The value.</param>");
                    w.Line("public sealed record " + variant.CSharpName + "(" + type + " Value) : " + full + ";");
                    // C# allows no user-defined conversion from an interface (lists, maps), nor two from one type (a $ref listed twice).
                    if (variant.Type.Kind is not (TypeKind.List or TypeKind.Map) && converted.Add(type))
                    {
                        w.Line();
                        w.Line("/// <summary>Wraps a " + Escape(type.Replace("global::", "")) + " as <see cref=\"" + full + "." + variant.CSharpName + "\"/>.</summary>");
                        w.Line("public static implicit operator " + full + "(" + type + " value) => new " + full + "." + variant.CSharpName + "(value);");
                    }
                }
                w.Line();
                w.Line("/// <summary>JSON that no variant takes, kept as it came.</summary>");
                w.Line("/// <param name=\"Json\">The value as received; written back unchanged.</param>");
                w.Line("public sealed record Unknown(" + Element + " Json) : " + full + ";");
            }
            JsonSection(json, w =>
            {
                w.Line("/// <summary>Reads the variant that the kind of the current JSON value chooses.</summary>");
                using (w.Block("internal static " + full + " Read" + model.Name + "(ref " + Reader + " reader)"))
                {
                    using (w.Block("switch (reader.TokenType)"))
                    {
                        if (byRequired)
                        {
                            w.Line("case global::System.Text.Json.JsonTokenType.StartObject:");
                            using (w.Indent()) w.Line("return Read" + model.Name + "Object(ref reader);");
                        }
                        if (byItems)
                        {
                            w.Line("case global::System.Text.Json.JsonTokenType.StartArray:");
                            using (w.Indent()) w.Line("return Read" + model.Name + "Array(ref reader);");
                        }
                        foreach (var variant in model.Variants.Where(v => (!byRequired || v.Kind != JsonKind.Object) && (!byItems || v.Kind != JsonKind.Array)))
                        {
                            foreach (var token in TokenTypes(variant.Kind)) w.Line("case global::System.Text.Json.JsonTokenType." + token + ":");
                            using (w.Indent()) w.Line("return new " + full + "." + variant.CSharpName + "(" + ReadCall(client, variant.Type, "reader", 0) + ");");
                        }
                        w.Line("default:");
                        using (w.Indent()) w.Line("return new " + full + ".Unknown(" + Primitives + ".ReadJsonElement(ref reader));");
                    }
                }
                if (byRequired) EmitObjectChoice(w, client, model, full);
                if (byItems) EmitArrayChoice(w, client, model, full);
                w.Line();
                w.Line("/// <summary>Writes whichever variant <paramref name=\"value\"/> is.</summary>");
                using (w.Block("internal static void Write" + model.Name + "(" + Writer + " writer, " + full + " value)"))
                {
                    using (w.Block("switch (value)"))
                    {
                        foreach (var variant in model.Variants)
                        {
                            w.Line("case " + full + "." + variant.CSharpName + " variant:");
                            using (w.Indent())
                            {
                                w.Line(WriteCall(client, variant.Type, "writer", "variant.Value", 0) + ";");
                                w.Line("break;");
                            }
                        }
                        WriteUnknownAndDefault(w, full + ".Unknown", model.Name);
                    }
                }
            });
        }

        /// <summary>
        /// Chooses among several object variants by the properties the object has (names matched as the object readers
        /// match them), looking ahead on a copy of the reader: the first variant, in the model's order, whose required
        /// properties are all there; else the raw JSON.
        /// </summary>
        private static void EmitObjectChoice(SourceWriter w, ClientModel client, KindUnionModel model, string full)
        {
            if (model.DiscriminatorJsonName is { } discriminator)
            {
                w.Line();
                w.Line("/// <summary>Reads the object variant of <see cref=\"" + full + "\"/> that the <c>" + Escape(discriminator) + "</c> property names.</summary>");
                using (w.Block("private static " + full + " Read" + model.Name + "Object(ref " + Reader + " reader)"))
                {
                    using (w.Block("switch (" + Primitives + ".PeekString(reader, " + Emitter.Literal(discriminator) + "))"))
                    {
                        EmitDiscriminatorCases(w, model.Name + "VariantKeys",
                            model.Variants.SelectMany(v => v.DiscriminatorValues.Select(value => (Value: value, Variant: v))).GroupBy(p => p.Value, System.StringComparer.Ordinal).Select(group => (group.Key,
                                group.Select(p => (p.Variant.RequiredMask, "return new " + full + "." + p.Variant.CSharpName + "(" + ReadCall(client, p.Variant.Type, "reader", 0) + ");")).ToList())),
                            "return new " + full + ".Unknown(" + Primitives + ".ReadJsonElement(ref reader));");
                    }
                }
                if (!model.RequiredNames.IsEmpty) EmitVariantKeys(w, model.Name, model.RequiredNames);
                return;
            }
            EmitVariantKeys(w, model.Name, model.RequiredNames);
            w.Line();
            w.Line("/// <summary>Reads the object variant of <see cref=\"" + full + "\"/> whose required properties the object has.</summary>");
            using (w.Block("private static " + full + " Read" + model.Name + "Object(ref " + Reader + " reader)"))
            {
                EmitRequiredChoice(w, model.Name + "VariantKeys",
                    model.Variants.Where(v => v.Kind == JsonKind.Object).Select(v => (v.RequiredMask, v.TellingMask, v.ExcludedMask, "return new " + full + "." + v.CSharpName + "(" + ReadCall(client, v.Type, "reader", 0) + ");")).ToList(),
                    "return new " + full + ".Unknown(" + Primitives + ".ReadJsonElement(ref reader));");
            }
        }

        /// <summary>The matcher of the property names a union's object variants require; its indexes are the mask bits.</summary>
        private static void EmitVariantKeys(SourceWriter w, string unionName, EquatableArray<string> names)
        {
            w.Line();
            w.Line("private static readonly " + Matcher + " " + unionName + "VariantKeys = new(" + string.Join(", ", names.Select(Emitter.Literal)) + ");");
        }

        /// <summary>
        /// The cases of a switch on the discriminator's value, then its default: each value returns its variant, or,
        /// when several variants share it (TFG0015), the one whose required properties the object has.
        /// </summary>
        private static void EmitDiscriminatorCases(SourceWriter w, string keys, System.Collections.Generic.IEnumerable<(string Value, System.Collections.Generic.List<(ulong Mask, string Read)> Candidates)> cases, string unknown)
        {
            foreach (var (value, candidates) in cases)
            {
                w.Line("case " + Emitter.Literal(value) + ":");
                if (candidates.Count == 1)
                {
                    using (w.Indent()) w.Line(candidates[0].Read);
                    continue;
                }
                using (w.Block())
                {
                    EmitRequiredChoice(w, keys, candidates.Select(c => (c.Mask, 0UL, 0UL, c.Read)).ToList(), unknown);
                }
            }
            w.Line("default:");
            using (w.Indent()) w.Line(unknown);
        }

        /// <summary>
        /// Looks ahead on a copy of the reader for which of the <paramref name="keys"/> the object has, then takes the first
        /// candidate, most required properties first (a stable sort keeps the model's order on a tie), whose required
        /// properties are all there, one of its telling properties when it has any, and none of its excluded ones;
        /// <paramref name="unknown"/> when none is.
        /// </summary>
        private static void EmitRequiredChoice(SourceWriter w, string keys, System.Collections.Generic.List<(ulong Required, ulong Telling, ulong Excluded, string Read)> candidates, string unknown)
        {
            w.Line("var probe = reader;");
            w.Line("var present = 0UL;");
            using (w.Block("while (" + Primitives + ".NextProperty(ref probe, " + keys + ", out var index, out _))"))
            {
                w.Line("if (index >= 0) present |= 1UL << index;");
                w.Line("probe.Skip();");
            }
            foreach (var (required, own, excluded, read) in candidates.OrderByDescending(c => Bits.Count(c.Required)))
            {
                var tests = new System.Collections.Generic.List<string>();
                if (required != 0) tests.Add("(present & " + Hex(required) + ") == " + Hex(required));
                if (own != 0) tests.Add("(present & " + Hex(own) + ") != 0");
                if (excluded != 0) tests.Add("(present & " + Hex(excluded) + ") == 0");
                if (tests.Count == 0)
                {
                    w.Line(read);
                    return;
                }
                w.Line("if (" + string.Join(" && ", tests) + ") " + read);
            }
            w.Line(unknown);
        }

        /// <summary>"array", or "array of strings" for an array variant chosen by the kind of its items.</summary>
        private static string KindText(KindVariantModel variant) =>
            variant.Kind.ToString().ToLowerInvariant() + (variant.ItemKind is { } items ? " of " + items.ToString().ToLowerInvariant() + "s" : "");

        /// <summary>The token types that start a JSON value of <paramref name="kind"/>.</summary>
        private static string[] TokenTypes(JsonKind kind) => kind switch
        {
            JsonKind.String => new[] { "String" },
            JsonKind.Number => new[] { "Number" },
            JsonKind.Boolean => new[] { "True", "False" },
            JsonKind.Array => new[] { "StartArray" },
            _ => new[] { "StartObject" },
        };

        /// <summary>
        /// Chooses among several array variants by the kind of the first item, looking ahead on a copy of the reader; an
        /// empty array is the first array variant (every one reads and writes it the same), an item of another kind the raw JSON.
        /// </summary>
        private static void EmitArrayChoice(SourceWriter w, ClientModel client, KindUnionModel model, string full)
        {
            var arrays = model.Variants.Where(v => v.Kind == JsonKind.Array).ToList();
            w.Line();
            w.Line("/// <summary>Reads the array variant of <see cref=\"" + full + "\"/> that the kind of the first item chooses.</summary>");
            using (w.Block("private static " + full + " Read" + model.Name + "Array(ref " + Reader + " reader)"))
            {
                using (w.Block("switch (" + Primitives + ".PeekFirstItem(reader))"))
                {
                    w.Line("case global::System.Text.Json.JsonTokenType.EndArray:");
                    foreach (var variant in arrays)
                    {
                        foreach (var token in TokenTypes(variant.ItemKind!.Value)) w.Line("case global::System.Text.Json.JsonTokenType." + token + ":");
                        using (w.Indent()) w.Line("return new " + full + "." + variant.CSharpName + "(" + ReadCall(client, variant.Type, "reader", 0) + ");");
                    }
                    w.Line("default:");
                    using (w.Indent()) w.Line("return new " + full + ".Unknown(" + Primitives + ".ReadJsonElement(ref reader));");
                }
            }
        }

        private static string Hex(ulong mask) => "0x" + mask.ToString("X", CultureInfo.InvariantCulture) + "UL";

        /// <summary>
        /// ", requires a, b" for an object variant chosen by its required properties (and ", has c or d" when its own properties
        /// tell it apart); ", a or b" for one chosen by its discriminator values.
        /// </summary>
        private static string RequiredText(KindUnionModel model, KindVariantModel variant)
        {
            if (!variant.DiscriminatorValues.IsEmpty) return ", " + string.Join(" or ", variant.DiscriminatorValues.Select(v => "<c>" + Escape(v) + "</c>"));
            if (model.RequiredNames.IsEmpty || variant.Kind != JsonKind.Object) return "";
            var required = NamesOf(model, variant.RequiredMask);
            var telling = NamesOf(model, variant.TellingMask);
            // A variant told apart by its own properties may declare dozens: the first few say enough.
            var has = telling.Count == 0 ? (variant.ExcludedMask != 0 ? "has none of the other variants' own properties" : "") : "has " + (telling.Count == 1 ? telling[0]
                : telling.Count <= 4 ? string.Join(", ", telling.Take(telling.Count - 1)) + " or " + telling[telling.Count - 1]
                : string.Join(", ", telling.Take(3)) + " or one of " + (telling.Count - 3).ToString(CultureInfo.InvariantCulture) + " more of its own");
            return required.Count > 0 ? ", requires " + string.Join(", ", required) + (has.Length > 0 ? "; " + has : "")
                : has.Length > 0 ? ", " + has : ", any other object";
        }

        private static System.Collections.Generic.List<string> NamesOf(KindUnionModel model, ulong mask) =>
            model.RequiredNames.Where((_, i) => (mask & (1UL << i)) != 0).Select(n => "<c>" + Escape(n) + "</c>").ToList();

        /// <summary>The last cases of a union writer's switch: the unknown variant written back as it came, and no other.</summary>
        private static void WriteUnknownAndDefault(SourceWriter w, string unknownType, string unionName)
        {
            w.Line("case " + unknownType + " other:");
            using (w.Indent())
            {
                w.Line("other.Json.WriteTo(writer);");
                w.Line("break;");
            }
            w.Line("default:");
            using (w.Indent())
            {
                w.Line("throw new global::System.Text.Json.JsonException(\"" + unionName + " has no variant \" + value.GetType().Name + \".\");");
            }
        }

        /// <summary>A union's docs, attributes and the opening of its abstract record with the private constructor; dispose to close it.</summary>
        private static System.IDisposable BeginUnion(SourceWriter w, ClientModel client, string name, string? description, string fallback, string variants, string unknown)
        {
            TypeDocs(w, description, null, fallback);
            w.Line("/// <remarks>");
            w.Line("/// " + variants + ";");
            w.Line("/// " + unknown);
            w.Line("/// </remarks>");
            w.Line(GeneratedCode);
            w.Line(ConverterAttribute(client));
            var block = w.Block("public abstract partial record " + name);
            Doc(w, "summary", "Only the generated variants derive from this type.");
            w.Line("private protected " + name + "() { }");
            return block;
        }
    }
}
